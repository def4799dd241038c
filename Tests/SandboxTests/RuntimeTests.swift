import Sandbox
import Testing

/// Every profile runs a small correct program and reads stdin.
@Suite struct RuntimeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var language: String
        var source: String
        var testDescription: String { language }
    }

    static let cases: [Case] = [
        Case(language: "python", source: "import sys\nn = int(sys.stdin.read())\nprint(n * 2)\n"),
        Case(language: "c", source: "#include <stdio.h>\nint main(void){int n; scanf(\"%d\",&n); printf(\"%d\\n\", n*2); return 0;}\n"),
        Case(language: "cpp", source: "#include <iostream>\n#include <vector>\nint main(){int n; std::cin>>n; std::vector<int> v(n,2); long s=0; for(int x:v) s+=x; std::cout<<s<<std::endl;}\n"),
        Case(language: "javascript", source: "const s=require('fs').readFileSync(0,'utf8'); console.log(parseInt(s)*2);\n"),
        Case(language: "bash", source: "read n\necho $((n * 2)) | cat\n"),
    ]

    @Test(arguments: cases)
    func doublesItsInput(_ c: Case) async throws {
        let result = try await runProgram(c.language, c.source, stdin: "21\n")
        #expect(result.verdict == .ok, "\(c.language): \(result.run?.stderrText ?? result.compile?.stderrText ?? "")")
        #expect(result.run?.stdoutText == "42\n")
    }

    @Test func exitCodeIsARuntimeError() async throws {
        let result = try await runProgram("python", "import sys\nsys.exit(3)\n")
        #expect(result.verdict == .runtimeError(exitCode: 3))
    }

    @Test func compileErrorStopsBeforeRunning() async throws {
        let result = try await runProgram("c", "int main( { return 0; }\n")
        #expect(result.run == nil)
        #expect(result.compile?.verdict == .runtimeError(exitCode: 1))
        #expect(result.compile?.stderrText.contains("error") == true)
    }
}
