import CodeRewards
import Foundation
import Hummingbird
import HummingbirdTesting
import RewardKit
import Sandbox
import Testing

@testable import RewardService

/// `/run_code` and `/v1/run_tests` over the real sandbox and the repository's profiles: SandboxFusion's shapes and
/// limits, client mistakes answered 4xx naming the field (never `SandboxError`), and many tests per program.
@Suite struct RunCodeSandboxTests {
    static let sandboxes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sandboxes").path

    func withService(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let executor = SandboxExecutor(profiles: try Profiles(directory: Self.sandboxes))
        var c = configuration { $0.codeExecutor = executor }
        c.book = RecipeBook(registry: .withCode, recipes: RecipeBook.codeRecipes)
        c.defaultRecipe = "code"
        c.openRLHFRecipe = "code"
        try await app(c).test(.router, body)
    }

    func post(_ client: any TestClientProtocol, _ uri: String, _ body: JSON) async throws -> (
        HTTPResponse.Status, JSONObject
    ) {
        try await client.execute(uri: uri, method: .post, body: ByteBuffer(string: body.jsonText)) { r in
            (r.status, try json(r.body))
        }
    }

    static func b64(_ s: String) -> JSON { .string(Data(s.utf8).base64EncodedString()) }

    @Test func sandboxFusionShapesAndLimits() async throws {
        try await withService { client in
            // files with a null (skipped), an absolute path under /work, zero timeouts and memory = the defaults.
            let code = """
                import os, resource
                print(open('/work/data/in.txt').read(), sorted(os.listdir('/work')))
                print(resource.getrlimit(resource.RLIMIT_STACK)[0] >> 20)
                open('out.txt', 'w').write('result')
                """
            let (status, o) = try await post(
                client, "/run_code",
                [
                    "code": .string(code), "language": "python", "run_timeout": 0, "compile_timeout": 0,
                    "memory_limit_MB": 0, "files": ["/work/data/in.txt": Self.b64("hello"), "skipped.txt": .null],
                    "fetch_files": ["/work/out.txt", "missing.txt"],
                ])
            #expect(status == .ok)
            #expect(o["status"] == "Success", "\(o)")
            #expect(o["run_result"]?.objectValue?["stdout"] == "hello ['data', 'main.py']\n64\n")  // the profile's
            #expect(o["files"] == ["/work/out.txt": Self.b64("result")])
            // The stack follows memory_limit_MB.
            let (_, small) = try await post(
                client, "/run_code",
                [
                    "code": "import resource\nprint(resource.getrlimit(resource.RLIMIT_STACK)[0] >> 20)\n",
                    "language": "python", "memory_limit_MB": 300,
                ])
            #expect(small["run_result"]?.objectValue?["stdout"] == "300\n", "\(small)")
            // -1, SandboxFusion's "no limit", is the profile's most (2048 MiB), not the 512 MiB default: 700 MiB fit.
            let big = "b = bytearray(700 << 20)\nb[::4096] = b'x' * len(b[::4096])\nprint(b.count(b'x'))\n"
            let (_, unlimited) = try await post(
                client, "/run_code", ["code": .string(big), "language": "python", "memory_limit_MB": -1])
            #expect(unlimited["status"] == "Success", "\(unlimited)")
            #expect(unlimited["run_result"]?.objectValue?["stdout"] == "179200\n", "\(unlimited)")
            let (_, limited) = try await post(
                client, "/run_code", ["code": .string(big), "language": "python", "memory_limit_MB": 256])
            #expect(limited["status"] == "Failed", "\(limited)")
        }
    }

    /// A recursion 1,000,000 deep needs ~200 MiB of stack: it passes with a 1024 MB limit (as on SandboxFusion,
    /// whose stack limit follows the memory limit) and fails with 128 MB.
    @Test func deepRecursionFollowsTheMemoryLimit() async throws {
        let code = """
            #include <cstdio>
            int depth(int n) {
              volatile char pad[160]; pad[n % 160] = 1;
              if (n == 0) return 0;
              int r = depth(n - 1); return r + pad[n % 160];
            }
            int main() { std::printf("%d\\n", depth(1000000)); }
            """
        try await withService { client in
            let (_, big) = try await post(
                client, "/run_code",
                [
                    "code": .string(code), "language": "cpp",
                    "memory_limit_MB": 1024,
                ])
            #expect(big["status"] == "Success", "\(big)")
            #expect(big["run_result"]?.objectValue?["stdout"] == "1000000\n")
            let (_, small) = try await post(
                client, "/run_code",
                [
                    "code": .string(code), "language": "cpp",
                    "memory_limit_MB": 128,
                ])
            #expect(small["status"] == "Failed", "\(small)")
        }
    }

    @Test func clientMistakesAre4xxNamingTheFieldNeverSandboxError() async throws {
        let bad: [(JSON, HTTPResponse.Status, String)] = [
            (["files": ["../../tmp/x": Self.b64("x")]], .badRequest, "\"files\": \"../../tmp/x\""),
            (["files": ["/etc/passwd": Self.b64("x")]], .badRequest, "\"files\": \"/etc/passwd\" is outside"),
            (["files": ["a/../../b": Self.b64("x")]], .badRequest, "a/../../b"),
            (["files": ["x.txt": "not base64!"]], .badRequest, "\"files\".\"x.txt\" must be base64"),
            (["fetch_files": ["/etc/shadow"]], .badRequest, "\"fetch_files\": \"/etc/shadow\""),
            (["memory_limit_MB": 99999], .badRequest, "\"memory_limit_MB\": 99999 is above"),
            (["memory_limit_MB": -5], .badRequest, "memory_limit_MB"),
            (["run_timeout": -1], .badRequest, "run_timeout"),
            (["compile_timeout": "soon"], .badRequest, "compile_timeout"),
            (["language": "cobol"], .unprocessableContent, "\"language\": unknown language \"cobol\""),
        ]
        try await withService { client in
            for (edit, status, words) in bad {
                var body = (["code": "print(1)", "language": "python"] as JSON).objectValue!
                for (k, v) in edit.objectValue!.entries { body[k] = v }
                let (got, o) = try await post(client, "/run_code", .object(body))
                #expect(got == status, "\(edit.jsonText): \(o)")
                #expect(o["error"]?.stringValue?.contains(words) == true, "\(edit.jsonText): \(o)")
                #expect(o["status"] == nil)
            }
            // The same mistake on /v1/score: that sample's `error`, never a score.
            let (status, o) = try await post(
                client, "/v1/score",
                [
                    "samples": [
                        [
                            "completion": "```cobol\nDISPLAY 1.\n```", "language": "cobol",
                            "tests": ["kind": "stdio", "cases": [["stdin": "", "stdout": "1"]]],
                        ]
                    ]
                ])
            #expect(status == .ok)
            let error = o["results"]?.arrayValue?.first?.objectValue?["error"]?.stringValue ?? ""
            #expect(error.contains("language: no sandbox profile for \"cobol\""), "\(o)")
        }
    }

    @Test func pytestLanguageSucceedsIffEveryTestPasses() async throws {
        try await withService { client in
            let passing = "def test_a():\n    assert 1 + 1 == 2\n\ndef test_b():\n    assert 'x' in 'xy'\n"
            let (_, ok) = try await post(
                client, "/run_code", ["code": .string(passing), "language": "pytest", "run_timeout": 60])
            #expect(ok["status"] == "Success", "\(ok)")
            #expect(ok["run_result"]?.objectValue?["stdout"]?.stringValue?.contains("2 passed") == true, "\(ok)")
            let failing = passing + "\ndef test_c():\n    assert 2 + 2 == 5\n"
            let (_, failed) = try await post(
                client, "/run_code", ["code": .string(failing), "language": "pytest", "run_timeout": 60])
            #expect(failed["status"] == "Failed")
            #expect(failed["run_result"]?.objectValue?["return_code"] == 1, "\(failed)")
            let (_, none) = try await post(
                client, "/run_code", ["code": "x = 1\n", "language": "pytest", "run_timeout": 60])
            #expect(none["status"] == "Failed")
            #expect(none["run_result"]?.objectValue?["return_code"] == 5, "\(none)")  // no tests collected
            // Hashing is deterministic (PYTHONHASHSEED=0 holds under pytest too): CPython 3.11's hash of "arbiter"
            // with seed 0.
            let hashed = "def test_hash():\n    assert hash('arbiter') == 1737199882736736712\n"
            let (_, seeded) = try await post(
                client, "/run_code", ["code": .string(hashed), "language": "pytest", "run_timeout": 60])
            #expect(seeded["status"] == "Success", "\(seeded)")
        }
    }

    @Test func runTestsCompilesOnceAndJudgesEveryCase() async throws {
        let code = """
            #include <iostream>
            int main() { long long a, b; std::cin >> a >> b; if (a < 0) { while (true) {} }
              if (a == 7) return 3; std::cout << a + b << (a == 5 ? " 1" : "") << "\\n"; }
            """
        let cases: JSON = [
            ["stdin": "1 2\n", "expected_stdout": "3\n"], ["stdin": "5 5\n", "expected_stdout": "10\n"],
            ["stdin": "-1 0\n", "expected_stdout": "-1\n"], ["stdin": "7 1\n", "expected_stdout": "8\n"],
            ["stdin": "2 2\n", "expected_stdout": "4"],
        ]
        try await withService { client in
            let (status, o) = try await post(
                client, "/v1/run_tests",
                [
                    "code": .string(code), "language": "cpp",
                    "cases": cases, "run_timeout": 1,
                ])
            #expect(status == .ok, "\(o)")
            #expect(o["compile_result"]?.objectValue?["return_code"] == 0)
            let verdicts = o["results"]?.arrayValue?.compactMap { $0.objectValue?["verdict"]?.stringValue }
            #expect(verdicts == ["accepted", "wrong_answer", "time_limit", "runtime_error", "accepted"], "\(o)")
            #expect(o["passed"] == 2 && o["total"] == 5)
            let (_, stopped) = try await post(
                client, "/v1/run_tests",
                [
                    "code": .string(code), "language": "cpp", "cases": cases, "stop_on_first_failure": true,
                    "checker": "tokens",
                ])
            #expect(stopped["results"]?.arrayValue?.count == 2 && stopped["passed"] == 1, "\(stopped)")
            let (_, broken) = try await post(
                client, "/v1/run_tests",
                [
                    "code": "int main( {", "language": "cpp",
                    "cases": cases,
                ])
            #expect(broken["compiled"] == false && broken["passed"] == 0 && broken["total"] == 5)
            #expect(broken["results"] == [])
        }
    }

    /// Call-style cases (APPS/TACO `fn_name`): each case is a call judged outside the box, with its own verdict.
    @Test func runTestsCallsAFunctionPerCase() async throws {
        let code = """
            import time
            def f(a, b):
                if a == 7: raise ValueError("seven")
                if a < 0:
                    time.sleep(30)
                if a == 5: return [a + b]
                return a + b if a != 3 else (a + b) * 1.0000001
            """
        let cases: JSON = [
            ["input": [1, 2], "output": 3], ["input": [5, 5], "output": 10], ["input": [-1, 0], "output": -1],
            ["input": [7, 1], "output": 8], ["input": [2, 2], "output": 4], ["input": [3, 3], "output": 6],
        ]
        try await withService { client in
            let (status, o) = try await post(
                client, "/v1/run_tests",
                ["code": .string(code), "language": "python", "fn_name": "f", "cases": cases, "run_timeout": 1])
            #expect(status == .ok, "\(o)")
            let results = o["results"]?.arrayValue ?? []
            let verdicts = results.compactMap { $0.objectValue?["verdict"]?.stringValue }
            #expect(
                verdicts == ["accepted", "wrong_answer", "time_limit", "runtime_error", "accepted", "wrong_answer"],
                "\(o)")
            #expect(o["passed"] == 2 && o["total"] == 6)
            #expect(results[3].objectValue?["message"]?.stringValue?.contains("ValueError: seven") == true)
            #expect(results[0].objectValue?["memory_MB"] == .null, "not measured per call")
            #expect((results[2].objectValue?["time"]?.doubleValue ?? 0) >= 1, "the slow call ran to its limit")
            // The float checker's tolerance admits the near value; values of another type still differ.
            let (_, close) = try await post(
                client, "/v1/run_tests",
                [
                    "code": .string(code), "language": "python", "fn_name": "f", "cases": cases, "run_timeout": 1,
                    "checker": ["kind": "float", "abs": 1e-3, "rel": 1e-3],
                ])
            #expect(close["results"]?.arrayValue?[5].objectValue?["verdict"] == "accepted", "\(close)")
            #expect(close["results"]?.arrayValue?[1].objectValue?["verdict"] == "wrong_answer", "\(close)")
            let (_, stopped) = try await post(
                client, "/v1/run_tests",
                [
                    "code": .string(code), "language": "python", "fn_name": "f", "cases": cases,
                    "stop_on_first_failure": true,
                ])
            #expect(stopped["results"]?.arrayValue?.count == 2 && stopped["total"] == 6, "\(stopped)")
            // A program that does not load fails every case with the reason, and never passes one.
            let (_, broken) = try await post(
                client, "/v1/run_tests",
                ["code": "def f(a, b) return a", "language": "python", "fn_name": "f", "cases": cases])
            let brokenVerdicts = Set(
                broken["results"]?.arrayValue?.compactMap { $0.objectValue?["verdict"]?.stringValue } ?? [])
            #expect(brokenVerdicts == ["runtime_error"] && broken["passed"] == 0 && broken["total"] == 6, "\(broken)")
            let (_, missing) = try await post(
                client, "/v1/run_tests",
                ["code": "def g(a, b): return a + b", "language": "python", "fn_name": "f", "cases": cases])
            #expect(missing["passed"] == 0 && missing["results"]?.arrayValue?.count == 6, "\(missing)")
        }
    }

    @Test func runTestsRefusesBadInputNamingTheField() async throws {
        let cases: JSON = [["stdin": "", "expected_stdout": "1\n"]]
        let bad: [(JSON, HTTPResponse.Status, String)] = [
            (["cases": [["expected_stdout": "1"]]], .badRequest, "\"cases[0].stdin\""),
            (["cases": [["stdin": ""]]], .badRequest, "\"cases[0].expected_stdout\""),
            (["cases": []], .badRequest, "\"cases\""),
            (["cases": cases, "checker": "fuzzy"], .badRequest, "unknown checker \"fuzzy\""),
            (["cases": cases, "stdin": "x"], .badRequest, "unknown field \"stdin\""),
            (
                ["cases": cases, "checker": ["kind": "program", "code": "raise SystemExit(9)", "language": "python"]],
                .unprocessableContent, "checker failed on case 0"
            ),
            (
                ["cases": cases, "checker": ["kind": "program", "code": "print(1)", "language": "cobol"]],
                .unprocessableContent, "checker.language"
            ),
            (["cases": cases, "language": "cobol"], .unprocessableContent, "unknown language"),
            (["cases": [["input": [1], "output": 1]]], .badRequest, "name the function it calls in field \"fn_name\""),
            (["cases": [["input": 1, "output": 1]], "fn_name": "f"], .badRequest, "\"cases[0].input\""),
            (["cases": [["input": [1]]], "fn_name": "f"], .badRequest, "\"cases[0].output\""),
            (["cases": [["input": [1], "output": 1]], "fn_name": 3], .badRequest, "\"fn_name\""),
            (
                ["cases": [["input": [1], "output": 1]], "fn_name": "f", "checker": "tokens"], .badRequest,
                "tokens checker"
            ),
            (
                ["cases": [["input": [1], "output": 1]], "fn_name": "f", "language": "cpp"], .unprocessableContent,
                "call-style cases run in Python only"
            ),
        ]
        try await withService { client in
            for (edit, status, words) in bad {
                var body = (["code": "print(1)", "language": "python"] as JSON).objectValue!
                for (k, v) in edit.objectValue!.entries { body[k] = v }
                let (got, o) = try await post(client, "/v1/run_tests", .object(body))
                #expect(got == status, "\(edit.jsonText): \(o)")
                #expect(o["error"]?.stringValue?.contains(words) == true, "\(edit.jsonText): \(o)")
            }
        }
    }

    @Test func pythonPackagesImportInTheBox() async throws {
        try await withService { client in
            // With verl's default memory_limit_MB (1024: the stack limit too), threads included.
            let code = """
                import threading, numpy, requests, sympy
                t = threading.Thread(target=print, args=('thread',)); t.start(); t.join()
                print(int(numpy.arange(5).sum()), sympy.isprime(97))
                """
            let (_, o) = try await post(
                client, "/run_code",
                [
                    "code": .string(code), "language": "python",
                    "memory_limit_MB": 1024, "run_timeout": 60,
                ])
            #expect(o["run_result"]?.objectValue?["stdout"] == "thread\n10 True\n", "\(o)")
        }
    }
}
