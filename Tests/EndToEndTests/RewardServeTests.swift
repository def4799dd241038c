import Foundation
import RewardKit
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Starts the built `reward serve` on a free loopback port; stops it with SIGTERM.
final class RunningServer: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(_ extra: [String] = []) throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "arbiter-e2e-\(UUID().uuidString).port"
        ).path
        process.executableURL = try Binary("reward").url
        process.arguments = ["serve", "--port", "0", "--port-file", portFile] + extra
        process.currentDirectoryURL = Binary.repoRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 {
            if let t = try? String(contentsOfFile: portFile, encoding: .utf8),
                let p = Int(t.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                port = p
                try? FileManager.default.removeItem(atPath: portFile)
                return
            }
            guard process.isRunning else { throw BinaryError("reward serve exited with \(process.terminationStatus)") }
            usleep(50_000)
        }
        process.terminate()
        throw BinaryError("reward serve did not listen within 20 s")
    }

    func post(_ path: String, _ body: String, token: String? = nil) async throws -> (Int, JSON) {
        var r = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        r.httpMethod = "POST"
        r.httpBody = Data(body.utf8)
        if let token { r.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: r)
        return ((response as! HTTPURLResponse).statusCode, try JSONParser.parse(String(decoding: data, as: UTF8.self)))
    }

    func get(_ path: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
    }

    /// SIGTERM and wait; the exit status.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

@Suite(.serialized) struct RewardServeTests {
    @Test func servesScoresCodeAndMetricsThenStopsCleanly() async throws {
        let server = try RunningServer()
        #expect(try await server.get("/healthz") == (200, "ok\n"))
        let (status, score) = try await server.post(
            "/v1/score",
            #"{"samples":[{"id":1,"completion":"so $\\boxed{\\frac{3}{4}}$","answer":"0.75"},{"id":2,"completion":"\\boxed{1}","answer":"2"}]}"#
        )
        #expect(status == 200)
        let results = score.objectValue?["results"]?.arrayValue
        #expect(results?.map { $0.objectValue?["reward"]?.doubleValue } == [1, 0])
        let (codeStatus, run) = try await server.post(
            "/run_code", #"{"code":"import sys\nprint(input()[::-1])\nsys.exit(2)","language":"python","stdin":"abc"}"#)
        #expect(codeStatus == 200)
        #expect(run.objectValue?["status"] == "Failed")
        #expect(run.objectValue?["run_result"]?.objectValue?["return_code"]?.intValue == 2)
        #expect(run.objectValue?["run_result"]?.objectValue?["stdout"] == "cba\n")
        let (_, metrics) = try await server.get("/metrics")
        #expect(metrics.contains(#"arbiter_sandbox_runs_total{verdict="runtime_error"} 1"#))
        #expect(!metrics.contains(#"arbiter_sandbox_runs_total{verdict="ok"}"#))
        // Code graded through /v1/score's code recipe runs boxes too, and they are counted like /run_code's.
        let (codeScoreStatus, codeScore) = try await server.post(
            "/v1/score",
            #"{"recipe":"code","samples":[{"completion":"```python\nimport sys\nprint(sum(map(int, sys.stdin.read().split())))\n```","tests":{"kind":"stdio","cases":[{"stdin":"2 3\n","stdout":"5\n"},{"stdin":"4 4\n","stdout":"8\n"}]}}]}"#
        )
        #expect(codeScoreStatus == 200)
        #expect(
            codeScore.objectValue?["results"]?.arrayValue?.first?.objectValue?["reward"]?.doubleValue == 1,
            "\(codeScore)")
        // A recipe sent with the request may not load a path of this machine (nor run a program: UntrustedRecipeTests).
        let (pathStatus, pathError) = try await server.post(
            "/v1/score",
            #"{"recipe":{"reward":{"term":"reward_model","params":{"path":"/etc"}}},"samples":[{"completion":"1"}]}"#)
        #expect(pathStatus == 400)
        #expect(pathError.objectValue?["error"]?.stringValue?.contains("\"reward_model\" loads a model folder") == true)
        let (_, after) = try await server.get("/metrics")
        let okRuns = after.split(separator: "\n").first { $0.hasPrefix(#"arbiter_sandbox_runs_total{verdict="ok"} "#) }
        #expect(okRuns.flatMap { Int($0.split(separator: " ").last ?? "") }.map { $0 >= 1 } == true, "\(after)")
        #expect(server.stop() == 0)
    }

    @Test func sigtermFinishesTheRequestInFlight() async throws {
        let server = try RunningServer()
        // The program sleeps long enough for a loaded test process (its polls below share two threads with the
        // whole suite) to see it in flight.
        async let slow = server.post(
            "/run_code", #"{"code":"import time\ntime.sleep(5)\nprint('done')","language":"python","run_timeout":30}"#)
        // SIGTERM only once the server holds the request (the scrape itself is the other one in flight), so that a
        // loaded machine that is slow to connect cannot turn this into a refused connection.
        var inFlight = 0
        for _ in 0..<400 where inFlight < 2 {
            try await Task.sleep(nanoseconds: 25_000_000)
            let (_, metrics) = try await server.get("/metrics")
            inFlight =
                metrics.split(separator: "\n").first { $0.hasPrefix("arbiter_requests_in_flight ") }
                .flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        }
        #expect(inFlight == 2, "the slow request never reached the server")
        server.process.terminate()
        let (status, run) = try await slow
        #expect(status == 200)
        #expect(run.objectValue?["run_result"]?.objectValue?["stdout"] == "done\n")
        #expect(server.stop() == 0)
    }

    @Test func tokenIsRequired() async throws {
        let server = try RunningServer(["--token", "t0k"])
        let (denied, _) = try await server.post("/v1/score", "[]")
        #expect(denied == 401)
        let (allowed, _) = try await server.post("/v1/score", "[]", token: "t0k")
        #expect(allowed == 200)
        #expect(server.stop() == 0)
    }
}
