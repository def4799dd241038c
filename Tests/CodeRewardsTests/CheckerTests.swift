import CodeRewards
import RewardKit
import Sandbox
import Testing

/// The output checkers shared by the `stdio` test kind and `/v1/run_tests`: built-in comparisons, a checker
/// program (special judge) in its own box, and their bad inputs.
@Suite struct CheckerTests {
    @Test func builtInComparisons() throws {
        let exact = OutputChecker.exact
        #expect(exact.matches(expected: "1 2\n3\n", actual: "1 2  \r\n3\n\n") == true)
        #expect(exact.matches(expected: "1 2\n3\n", actual: "1 2 3\n") == false)
        #expect(exact.matches(expected: "1  2", actual: "1 2") == false)
        let tokens = OutputChecker.tokens
        #expect(tokens.matches(expected: "1 2\n3\n", actual: "1\n2 3") == true)
        #expect(tokens.matches(expected: "1 2 3", actual: "1 2") == false)
        let float = OutputChecker.float(abs: 1e-6, rel: 1e-3)
        #expect(float.matches(expected: "x 0.3333333\n", actual: "x 0.33333331") == true)  // abs
        #expect(float.matches(expected: "1000000", actual: "1000900") == true)  // rel
        #expect(float.matches(expected: "1000000", actual: "1001100") == false)
        #expect(float.matches(expected: "y 1.0", actual: "z 1.0") == false)  // words exactly
        #expect(float.matches(expected: "nan", actual: "nan") == true)
        #expect(float.matches(expected: "1.0", actual: "inf") == false)
        #expect(OutputChecker.program(code: "", language: "python").matches(expected: "", actual: "") == nil)
    }

    @Test func checkerJSONIsReadOrRefusedNamingTheField() throws {
        #expect(try OutputChecker(json: "tokens") == .tokens)
        #expect(try OutputChecker(json: ["kind": "float", "abs": 0.5]) == .float(abs: 0.5, rel: 1e-6))
        #expect(
            try OutputChecker(json: ["kind": "program", "code": "x", "language": "cpp"])
                == .program(code: "x", language: "cpp"))
        let bad: [(JSON, String)] = [
            ("levenshtein", "unknown checker \"levenshtein\""), (["kind": "nope"], "checker.kind"),
            (["kind": "float", "abs": -1], "checker.abs"), (["kind": "float", "tol": 1], "unknown field \"tol\""),
            (["kind": "program", "language": "python"], "checker.code"), (3, "checker"),
        ]
        for (json, words) in bad {
            #expect(throws: CodeRewardsError.self) { try OutputChecker(json: json) }
            do { _ = try OutputChecker(json: json) } catch {
                #expect("\(error)".contains(words), "\(json.jsonText): \(error)")
            }
        }
    }

    /// A special judge: any two numbers whose sum is the input's number are accepted.
    static let sumJudge = """
        import sys
        n = int(open(sys.argv[1]).read())
        got = open(sys.argv[2]).read().split()
        expected = open(sys.argv[3]).read()
        ok = len(got) == 2 and int(got[0]) + int(got[1]) == n
        print('ok' if ok else f'wrong answer: {got} do not sum to {n} (expected like {expected.strip()})')
        sys.exit(0 if ok else 1)
        """

    @Test func stdioKindTakesACheckerProgram() async throws {
        let tests: JSON = [
            "kind": "stdio",
            "checker": [
                "kind": "program", "code": .string(Self.sumJudge),
                "language": "python",
            ],
            "cases": [["stdin": "10\n", "stdout": "5 5\n"], ["stdin": "7\n", "stdout": "3 4\n"]],
        ]
        let good = "n = int(input())\nprint(1, n - 1)\n"
        let grade = try await Fixtures.grader().grade(Fixtures.sample(code: good, tests: tests))
        #expect(grade == Grade(passed: 2, total: 2, verdict: .ok), "\(grade)")
        let wrong = "n = int(input())\nprint(1, n)\n"
        let failed = try await Fixtures.grader().grade(Fixtures.sample(code: wrong, tests: tests))
        #expect(failed.passed == 0 && failed.verdict == .wrongAnswer, "\(failed)")
        #expect(failed.reason?.contains("do not sum to 10") == true, "\(failed)")
    }

    @Test func aCheckerThatCrashesOrHangsIsAnErrorNotAVerdict() async throws {
        let runner = StdioRunner(sandbox: Sandbox(), profiles: try Profiles(directory: Fixtures.sandboxes))
        let profile = try Profiles(directory: Fixtures.sandboxes).profile(for: "python")
        let cases = [CodeTests.StdioCase(stdin: "1\n", stdout: "1\n")]
        // Exit 7, a hang, a syntax error and an uncaught exception (both exit 1, without "wrong answer").
        let judges = [
            "raise SystemExit(7)\n", "import time\nwhile True: time.sleep(1)\n", "def (:\n",
            "print('checking')\nraise ValueError('bug')\n",
        ]
        for judge in judges {
            await #expect(throws: CodeRewardsError.self, "\(judge)") {
                _ = try await runner.run(
                    source: "print(input())\n", profile: profile, cases: cases,
                    checker: .program(code: judge, language: "python"), limits: profile.limits)
            }
        }
        await #expect(throws: CodeRewardsError.self) {
            _ = try await runner.run(
                source: "print(1)\n", profile: profile, cases: cases,
                checker: .program(code: "x", language: "cobol"), limits: profile.limits)
        }
    }

    @Test func stdioKindTakesBuiltInCheckers() async throws {
        let tests: JSON = ["kind": "stdio", "checker": "tokens", "cases": [["stdin": "", "stdout": "1 2 3\n"]]]
        let grade = try await Fixtures.grader().grade(Fixtures.sample(code: "print(1)\nprint(2, 3)\n", tests: tests))
        #expect(grade.passed == 1, "\(grade)")
        let exact: JSON = ["kind": "stdio", "cases": [["stdin": "", "stdout": "1 2 3\n"]]]
        #expect(
            try await Fixtures.grader().grade(Fixtures.sample(code: "print(1)\nprint(2, 3)\n", tests: exact))
                .passed == 0)
        let unknown: JSON = ["kind": "stdio", "checker": "fuzzy", "cases": [["stdin": "", "stdout": "1\n"]]]
        await #expect(throws: CodeRewardsError.self) {
            _ = try await Fixtures.grader().grade(Fixtures.sample(code: "print(1)\n", tests: unknown))
        }
    }
}
