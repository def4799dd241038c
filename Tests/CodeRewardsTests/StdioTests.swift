import CodeRewards
import RewardKit
import Sandbox
import Testing

/// stdin/stdout cases in every language, and the output comparison rules.
@Suite struct StdioTests {
    static let tests: JSON = [
        "kind": "stdio",
        "cases": [
            ["stdin": "2 3\n", "stdout": "5\n"], ["stdin": "10 -4\n", "stdout": "6"],
        ],
    ]

    struct Program: Sendable, CustomTestStringConvertible {
        var language: String
        var code: String
        var testDescription: String { language }
    }

    static let programs: [Program] = [
        Program(language: "python", code: "a, b = map(int, input().split())\nprint(a + b, '  ')\n"),
        Program(
            language: "c",
            code:
                "#include <stdio.h>\nint main(void){int a,b; scanf(\"%d %d\",&a,&b); printf(\"%d\\n\\n\", a+b); return 0;}"
        ),
        Program(
            language: "cpp", code: "#include <iostream>\nint main(){int a,b; std::cin>>a>>b; std::cout<<a+b<<\"\\n\";}"),
        Program(
            language: "javascript",
            code: "const [a,b]=require('fs').readFileSync(0,'utf8').trim().split(/\\s+/).map(Number); console.log(a+b);"
        ),
        Program(language: "bash", code: "read a b\necho $((a + b))"),
    ]

    @Test(arguments: programs)
    func sumPassesInEveryLanguage(_ p: Program) async throws {
        let grade = try await Fixtures.grader().grade(
            Fixtures.sample(code: p.code, tests: StdioTests.tests, language: p.language))
        #expect(grade == Grade(passed: 2, total: 2, verdict: .ok), "\(p.language): \(grade)")
    }

    @Test func wrongOutputAndExitCodesDoNotCount() async throws {
        let wrong = try await Fixtures.grader().grade(Fixtures.sample(code: "print(5)\n", tests: StdioTests.tests))
        #expect(wrong.passed == 1 && wrong.verdict == .wrongAnswer)
        let crash = try await Fixtures.grader().grade(
            Fixtures.sample(code: "print(5)\nraise SystemExit(3)\n", tests: StdioTests.tests))
        #expect(crash.passed == 0 && crash.verdict == .runtimeError(exitCode: 3), "\(crash)")
    }

    @Test func compileErrorFailsEveryCase() async throws {
        let grade = try await Fixtures.grader().grade(
            Fixtures.sample(code: "int main( {", tests: StdioTests.tests, language: "c"))
        #expect(grade.passed == 0 && grade.total == 2 && grade.verdict == .runtimeError(exitCode: 1), "\(grade)")
    }

    @Test func floatToleranceIsOptIn() async throws {
        let tests: JSON = ["kind": "stdio", "cases": [["stdin": "", "stdout": "0.3333333\n"]]]
        let code = "print(1/3)\n"
        #expect(try await Fixtures.grader().grade(Fixtures.sample(code: code, tests: tests)).passed == 0)
        #expect(try await Fixtures.grader(tolerance: 1e-6).grade(Fixtures.sample(code: code, tests: tests)).passed == 1)
    }
}
