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
        Case(
            language: "c",
            source: "#include <stdio.h>\nint main(void){int n; scanf(\"%d\",&n); printf(\"%d\\n\", n*2); return 0;}\n"),
        Case(
            language: "cpp",
            source:
                "#include <iostream>\n#include <vector>\nint main(){int n; std::cin>>n; std::vector<int> v(n,2); long s=0; for(int x:v) s+=x; std::cout<<s<<std::endl;}\n"
        ),
        Case(
            language: "javascript",
            source: "const s=require('fs').readFileSync(0,'utf8'); console.log(parseInt(s)*2);\n"),
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

    /// Every finished box counts once under its verdict, whoever started it (`reward serve` exports the counts).
    /// Other tests run boxes in parallel, so the counts only grow: each must have grown by at least ours.
    @Test func everyBoxRunIsCountedByVerdict() async throws {
        let before = SandboxRuns.snapshot
        _ = try await runProgram("bash", "exit 3")
        _ = try await runProgram("bash", "exit 4")
        _ = try await runProgram("bash", "echo ok")
        let after = SandboxRuns.snapshot
        #expect(after["runtime_error", default: 0] >= before["runtime_error", default: 0] + 2, "\(before) → \(after)")
        #expect(after["ok", default: 0] >= before["ok", default: 0] + 1, "\(before) → \(after)")
    }

    @Test func compileErrorStopsBeforeRunning() async throws {
        let result = try await runProgram("c", "int main( { return 0; }\n")
        #expect(result.run == nil)
        #expect(result.compile?.verdict == .runtimeError(exitCode: 1))
        #expect(result.compile?.stderrText.contains("error") == true)
    }
}

/// What `reward run` reports of a run the sandbox had to kill, and how it picks a profile from a file name.
@Suite struct RunReportingTests {
    /// A run killed at its wall-clock limit still reports the CPU time and peak memory it used (read from /proc
    /// just before the kill; its init cannot report them any more).
    @Test func aKilledRunReportsItsCPUTimeAndMemory() async throws {
        let spin = "data = b'x' * (48 << 20)\nwhile True:\n    pass\n"
        let result = try await runProgram("python", spin) { $0.wallTimeMs = 2000 }
        #expect(result.verdict == .timeLimit)
        let run = try #require(result.run)
        #expect(run.cpuTime > 0, "a spinning program was killed after 2 s and reported no CPU time")
        #expect(run.maxRSSBytes >= 48 << 20, "peak resident set \(run.maxRSSBytes) B, below the 48 MiB it wrote")
    }

    @Test(arguments: [
        ("p.c", "c"), ("solution.py", "python"), ("a.cpp", "cpp"), ("s.sh", "bash"),
        ("/tmp/x/m.JS", "javascript"), ("Main.java", "java"), ("x.rs", "rust"), ("y.ts", "typescript"),
    ])
    func aFileExtensionNamesItsProfile(_ file: String, _ language: String) throws {
        #expect(try Repo.profiles().profile(forFile: file).language == language)
    }

    @Test(arguments: ["notes.txt", "Makefile"])
    func anUnknownExtensionIsRefusedNamingIt(_ file: String) throws {
        #expect {
            try Repo.profiles().profile(forFile: file)
        } throws: { error in
            "\(error)".contains(file) && "\(error)".contains(".py (python)")
        }
    }
}
