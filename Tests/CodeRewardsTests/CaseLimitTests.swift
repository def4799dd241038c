import CodeRewards
import RewardKit
import Sandbox
import Testing

/// Time limits per case (one slow case fails alone, the others still run) and per sample (a sample may ask for
/// more than the profile's default, within the grader's maximum).
@Suite(.serialized) struct CaseLimitTests {
    static let code = """
        import time
        def f(x):
            if x < 0:
                while True:
                    pass
            if x == 0:
                while True:
                    try:
                        time.sleep(10)
                    except BaseException:
                        pass
            return x * 2
        """

    /// A spinning case and one that swallows the alarm both fail as over time; the cases after them pass.
    @Test(arguments: ["call", "assert"])
    func aSlowCaseFailsAloneAndTheOthersRun(kind: String) async throws {
        let tests: JSON =
            kind == "call"
            ? [
                "kind": "call", "fn": "f", "case_time_limit_s": 0.5,
                "cases": [
                    ["input": [1], "output": 2], ["input": [-1], "output": 0], ["input": [2], "output": 4],
                    ["input": [0], "output": 0], ["input": [3], "output": 6],
                ],
            ]
            : [
                "kind": "assert", "case_time_limit_s": 0.5,
                "code": "assert f(1) == 2\nassert f(-1) == 0\nassert f(2) == 4\nassert f(0) == 0\nassert f(3) == 6\n",
            ]
        var grader = try Fixtures.sharedGrader()
        grader.wallTimeMs = 20_000
        let grade = try await grader.grade(Fixtures.sample(code: Self.code, tests: tests))
        #expect(grade.results.map(\.passed) == [true, false, true, false, true], "\(grade)")
        #expect(grade.results[1].message?.contains("time limit") == true, "\(grade.results)")
    }

    /// A job that needs ~3 s fails under a 1 s budget and passes when the sample asks for 8 s (margins wide enough
    /// for a deadline timer delayed by a loaded machine).
    @Test func aSampleMayRaiseItsTimeLimit() async throws {
        let code =
            "import time\ndef slow():\n    end = time.monotonic() + 3\n    while time.monotonic() < end:\n"
            + "        pass\n    return 1\n"
        var grader = try Fixtures.sharedGrader()
        grader.wallTimeMs = 1000
        let short: JSON = ["kind": "call", "fn": "slow", "cases": [["input": [], "output": 1]]]
        let long: JSON = ["kind": "call", "fn": "slow", "time_limit_s": 8, "cases": [["input": [], "output": 1]]]
        let failed = try await grader.grade(Fixtures.sample(code: code, tests: short))
        #expect(!failed.allPassed, "\(failed)")
        let passed = try await grader.grade(Fixtures.sample(code: code, tests: long))
        #expect(passed.allPassed, "\(passed)")
    }

    /// Limits that are not positive numbers are the sample's mistake, named.
    @Test func badLimitsAreNamed() async throws {
        let tests: JSON = [
            "kind": "call", "fn": "f", "case_time_limit_s": "fast", "cases": [["input": [1], "output": 2]],
        ]
        await #expect(throws: CodeRewardsError.self) {
            _ = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: Self.code, tests: tests))
        }
    }
}
