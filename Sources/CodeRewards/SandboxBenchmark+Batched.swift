import Foundation
import Sandbox

extension SandboxBenchmark {
    /// One problem with many stdio tests, graded as `/v1/run_tests` does (compile once, every case in a fresh box)
    /// and as a client of `/run_code` does (one compile-and-run per test). Both ways run `repeats` times, alternating
    /// so that machine load hits them alike; medians in seconds per problem.
    public struct BatchedRow: Sendable {
        public var language: String
        public var tests: Int
        public var batched: Double
        public var perCall: Double
    }

    /// Sums two integers per case. Every case must pass either way, or the row is not measured.
    static let sumPrograms: [String: String] = [
        "cpp": "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n",
        "python": "a, b = map(int, input().split())\nprint(a + b)\n",
    ]

    public static func measureBatched(
        language: String, profiles: Profiles, tests: Int, repeats: Int,
        sandbox: Sandbox = Sandbox()
    ) async throws -> BatchedRow {
        guard let source = sumPrograms[language] else {
            throw CodeRewardsError("no batched benchmark program for \(language); have \(sumPrograms.keys.sorted())")
        }
        let profile = try profiles.profile(for: language)
        let cases = (0..<tests).map { i in CodeTests.StdioCase(stdin: "\(i) \(i * 7)\n", stdout: "\(i * 8)\n") }
        let runner = StdioRunner(sandbox: sandbox, profiles: profiles)
        var batched: [Double] = []
        var perCall: [Double] = []
        for _ in 0..<repeats {
            var t0 = Date()
            let report = try await runner.run(
                source: source, profile: profile, cases: cases, checker: .exact,
                limits: profile.limits)
            guard report.passed == tests else {
                throw CodeRewardsError("batched \(language): \(report.passed)/\(tests) passed: \(report.grade)")
            }
            batched.append(Date().timeIntervalSince(t0))
            t0 = Date()
            for c in cases {
                let r = try await sandbox.run(source: source, profile: profile, stdin: Array(c.stdin.utf8))
                guard r.verdict == .ok,
                    OutputChecker.exact.matches(expected: c.stdout, actual: r.run?.stdoutText ?? "")
                        == true
                else { throw CodeRewardsError("per-call \(language): \(r.verdict) on \(c.stdin)") }
            }
            perCall.append(Date().timeIntervalSince(t0))
        }
        return BatchedRow(
            language: language, tests: tests, batched: Self.median(batched), perCall: Self.median(perCall))
    }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}
