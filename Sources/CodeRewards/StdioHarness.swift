import Sandbox

/// Runs a whole program once per case (fresh box each time) and compares its full stdout with the expected
/// output: trailing whitespace of lines and trailing empty lines are ignored; with a positive `tolerance`, tokens
/// that both parse as numbers may differ by that much (absolute, or relative to the expected value).
struct StdioHarness: Sendable {
    var sandbox: Sandbox
    var profile: Profile
    var limits: Limits
    var tolerance: Double

    func grade(source: String, cases: [CodeTests.StdioCase]) async throws -> Grade {
        let program = try await sandbox.prepare(source: source, profile: profile)
        guard program.runnable else {
            let why = program.compile.map { "compile: \($0.verdict) \(String($0.stderrText.prefix(300)))" }
            return Grade(passed: 0, total: cases.count, verdict: program.compile?.verdict ?? .runtimeError(exitCode: 1),
                         reason: why)
        }
        var passed = 0
        var worst: Verdict = .ok
        var reason: String? = nil
        for (i, c) in cases.enumerated() {
            let ran = try await sandbox.run(program, stdin: Array(c.stdin.utf8), limits: limits)
            if ran.verdict == .ok && StdioHarness.matches(expected: c.stdout, actual: ran.stdoutText, tolerance: tolerance) {
                passed += 1
                continue
            }
            if worst == .ok && ran.verdict != .ok { worst = ran.verdict }
            if reason == nil {
                reason = ran.verdict == .ok
                    ? "case \(i): output differs: expected \(c.stdout.prefix(80).debugDescription), got \(ran.stdoutText.prefix(80).debugDescription)"
                    : "case \(i): \(ran.verdict) \(String(ran.stderrText.suffix(200)))"
            }
        }
        return Grade(passed: passed, total: cases.count,
                     verdict: Grade.verdict(allPassed: passed == cases.count, program: worst), reason: reason)
    }

    /// Full-output comparison (see the type's contract).
    static func matches(expected: String, actual: String, tolerance: Double) -> Bool {
        let e = lines(expected), a = lines(actual)
        guard e.count == a.count else { return false }
        for (x, y) in zip(e, a) where x != y {
            guard tolerance > 0 else { return false }
            let xs = x.split(whereSeparator: \.isWhitespace), ys = y.split(whereSeparator: \.isWhitespace)
            guard xs.count == ys.count else { return false }
            for (p, q) in zip(xs, ys) where p != q {
                guard let u = Double(p), let v = Double(q), abs(u - v) <= tolerance * max(1, abs(u)) else {
                    return false
                }
            }
        }
        return true
    }

    static func lines(_ text: String) -> [Substring] {
        var ls = text.split(separator: "\n", omittingEmptySubsequences: false).map { (line: Substring) -> Substring in
            guard let last = line.lastIndex(where: { !$0.isWhitespace }) else { return line.prefix(0) }
            return line[...last]
        }
        while let last = ls.last, last.isEmpty { ls.removeLast() }
        return ls
    }
}
