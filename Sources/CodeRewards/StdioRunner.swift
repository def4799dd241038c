import Sandbox

/// Runs one program over many stdio cases: compiled once (in its own box), then each case in a fresh box, its
/// output judged by an `OutputChecker` outside the program's box. Shared by the `stdio` test kind and
/// `POST /v1/run_tests`. Cases run one after another, so one request's cases never compete for the cores.
public struct StdioRunner: Sendable {
    public var sandbox: Sandbox
    /// Profiles for a `program` checker's language.
    public var profiles: Profiles
    /// Bytes of stdout (head) and stderr (tail) kept in each case's result.
    public static let headBytes = 1024

    public init(sandbox: Sandbox, profiles: Profiles) {
        self.sandbox = sandbox
        self.profiles = profiles
    }

    /// Compiles `source` with `profile` (its `compileLimits`) and runs each case under `limits`.
    /// Throws `CodeRewardsError` when the checker cannot judge (a checker program that does not compile, crashes,
    /// hangs or answers with an exit code other than 0, 1 or 2), `SandboxError` when a box fails: never a verdict.
    public func run(
        source: String, profile: Profile, files: [String: [UInt8]] = [:], cases: [CodeTests.StdioCase],
        checker: OutputChecker, limits: Limits, stopOnFirstFailure: Bool = false
    ) async throws
        -> StdioReport
    {
        let judge = try await CheckerProgram.prepare(checker, sandbox: sandbox, profiles: profiles)
        let program = try await sandbox.prepare(source: source, profile: profile, files: files)
        guard program.runnable else {
            return StdioReport(compile: program.compile, compiled: false, results: [], total: cases.count)
        }
        var results: [CaseResult] = []
        for (i, c) in cases.enumerated() {
            let ran = try await sandbox.run(program, stdin: Array(c.stdin.utf8), limits: limits)
            var result = CaseResult(
                verdict: .accepted, run: ran.verdict, time: ran.wallTime, cpuTime: ran.cpuTime,
                memoryBytes: ran.memoryPeakBytes > 0 ? ran.memoryPeakBytes : ran.maxRSSBytes,
                stdoutHead: String(decoding: ran.stdout.prefix(Self.headBytes), as: UTF8.self),
                stderrTail: String(decoding: ran.stderr.suffix(Self.headBytes), as: UTF8.self), message: nil)
            if let failed = CaseVerdict(ran.verdict) {
                result.verdict = failed
                result.message = "\(ran.verdict)"
            } else if let ok = checker.matches(expected: c.stdout, actual: ran.stdoutText) {
                if !ok {
                    result.verdict = .wrongAnswer
                    result.message =
                        "expected \(c.stdout.prefix(80).debugDescription), "
                        + "got \(ran.stdoutText.prefix(80).debugDescription)"
                }
            } else if let judge {
                let (ok, words) = try await judge.judge(input: c.stdin, expected: c.stdout, actual: ran.stdout, case: i)
                if !ok { result.verdict = .wrongAnswer }
                result.message = words.isEmpty ? nil : words
            }
            results.append(result)
            if stopOnFirstFailure && result.verdict != .accepted { break }
        }
        return StdioReport(compile: program.compile, compiled: true, results: results, total: cases.count)
    }
}

/// A checker program (special judge) compiled once and run per case in its own box: `/work` holds `input.txt`
/// (the case's stdin), `output.txt` (the program's stdout) and `answer.txt` (the expected output), also passed as
/// arguments in that order (testlib's `checker input output answer`). Exit 0 accepts. Exit 1 or 2 (testlib's WA and
/// PE) rejects when the checker's first line of output (stdout, else stderr) starts with "wrong answer" or "wrong
/// output format", as testlib's do: an uncaught exception of Python, node or Java also exits 1, and must never be
/// taken for a verdict. That first line is the case's message. Anything else is a checker failure.
struct CheckerProgram: Sendable {
    var sandbox: Sandbox
    var program: PreparedProgram

    /// nil for the built-in checkers.
    static func prepare(_ checker: OutputChecker, sandbox: Sandbox, profiles: Profiles) async throws
        -> CheckerProgram?
    {
        guard case .program(let code, let language) = checker else { return nil }
        let profile: Profile
        do { profile = try profiles.profile(for: language) } catch {
            throw CodeRewardsError(
                "checker.language: no sandbox profile for \"\(language.prefix(40))\" (have: "
                    + profiles.all.map(\.language).joined(separator: ", ") + ")")
        }
        let program = try await sandbox.prepare(source: code, profile: profile)
        guard program.runnable else {
            let c = program.compile
            throw CodeRewardsError(
                "checker.code does not compile: \(c.map { "\($0.verdict)" } ?? "no binary") "
                    + (c.map { String($0.stderrText.prefix(300)) } ?? ""))
        }
        return CheckerProgram(sandbox: sandbox, program: program)
    }

    func judge(input: String, expected: String, actual: [UInt8], case index: Int) async throws -> (Bool, String) {
        var execution = Execution(profile: program.profile)
        execution.command = program.profile.run + ["input.txt", "output.txt", "answer.txt"]
        execution.files = program.files
        execution.files["input.txt"] = Array(input.utf8)
        execution.files["output.txt"] = actual
        execution.files["answer.txt"] = Array(expected.utf8)
        execution.executables = program.executables
        let r = try await sandbox.run(execution)
        let text = r.stdoutText.contains(where: { !$0.isWhitespace }) ? r.stdoutText : r.stderrText
        let words = text.split(separator: "\n").first.map { String($0.prefix(200)) } ?? ""
        let lower = words.lowercased()
        let rejects = lower.hasPrefix("wrong answer") || lower.hasPrefix("wrong output format")
        switch r.verdict {
        case .ok: return (true, words)
        case .runtimeError(let code) where (code == 1 || code == 2) && rejects: return (false, words)
        default:
            throw CodeRewardsError(
                "checker failed on case \(index): \(r.verdict) "
                    + String(r.stderrText.suffix(300)) + " (a checker exits 0 to accept, or 1 after printing "
                    + "\"wrong answer …\" to reject)")
        }
    }
}
