import Foundation
import Hummingbird
import HummingbirdTesting
import RewardKit
import Synchronization
import Testing

@testable import RewardService

/// Scores 1 when the completion contains the reference (a stand-in for `math` that needs no verifier).
struct ContainsReference: SampleReward {
    func score(_ s: Sample) -> Score {
        guard let r = s.reference else { return .failure("no reference") }
        return Score(s.completionText.contains(r) ? 1 : 0, components: ["length": Double(s.completionText.count)])
    }
}

/// Sleeps before scoring 1, to hold a slot.
struct Slow: Reward {
    let seconds: Double
    func score(_ batch: [Sample]) async -> [Score] {
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        return batch.map { _ in Score(1) }
    }
}

struct FakeExecutor: CodeExecutor {
    var languages: [String] { ["python"] }
    func run(_ r: RunCodeRequest) async -> RunCodeResponse {
        RunCodeResponse(
            status: .success, message: "", compileResult: nil,
            runResult: .init(status: .finished, executionTime: 0.01, returnCode: 0, stdout: r.stdin ?? "", stderr: ""),
            verdict: "passed")
    }
}

/// Holds each run until the test opens the gate, and says when a run has started: tests wait for conditions.
struct GatedExecutor: CodeExecutor {
    final class Gate: Sendable {
        let started = Mutex(0)
        let open = Mutex(false)
    }
    let gate = Gate()
    var languages: [String] { ["python"] }
    func run(_ r: RunCodeRequest) async -> RunCodeResponse {
        gate.started.withLock { $0 += 1 }
        while !gate.open.withLock({ $0 }) { try? await Task.sleep(nanoseconds: 10_000_000) }
        return await FakeExecutor().run(r)
    }

    /// Waits (polling, at most 60 s) until `n` runs have started.
    func waitForStarts(_ n: Int) async -> Bool {
        for _ in 0..<6000 {
            if gate.started.withLock({ $0 }) >= n { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return false
    }
}

func configuration(_ edit: (inout ServiceConfiguration) -> Void = { _ in }) -> ServiceConfiguration {
    var registry = TermRegistry.standard
    registry.register("contains", summary: "test") { _ in ContainsReference() }
    registry.register("slow", summary: "test") { p in Slow(seconds: try p.double("seconds", default: 0.5)) }
    var c = ServiceConfiguration()
    c.book = RecipeBook(
        registry: registry,
        recipes: [
            Recipe(name: "contains", description: "test", node: ["term": "contains"]),
            Recipe(name: "slow", description: "test", node: ["term": "slow"]),
            Recipe(
                name: "long", description: "test: holds its slot for a minute",
                node: ["term": "slow", "params": ["seconds": 60]]),
            Recipe(name: "format", description: "test", node: ["term": "format"]),
        ])
    c.defaultRecipe = "contains"
    c.openRLHFRecipe = "contains"
    // No deadline a test could miss unless it is about deadlines: they fire on time (Dispatch timers) while the
    // whole suite, run in parallel, can keep Swift's cooperative pool from these handlers for minutes.
    c.requestTimeout = 3600
    edit(&c)
    return c
}

func app(_ c: ServiceConfiguration) throws -> some ApplicationProtocol {
    let server = try RewardServer(c)
    return Application(router: server.router(), server: server.httpServer)
}

func json(_ buffer: ByteBuffer) throws -> JSONObject {
    try JSONParser.parse(String(buffer: buffer)).objectValue!
}

@Suite struct ServiceTests {
    @Test func scoreAnswersOneResultPerSampleInOrder() async throws {
        try await app(configuration()).test(.router) { client in
            let body =
                #"{"samples":[{"id":"a","completion":"x is 12","answer":"12"},{"id":"b","completion":5},"junk",{"id":"d","completion":"no","answer":"12"}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok)
                let results = try json(r.body)["results"]!.arrayValue!.map { $0.objectValue! }
                #expect(results.count == 4)
                #expect(results[0]["id"] == "a" && results[0]["reward"]?.doubleValue == 1)
                #expect(results[1]["error"]?.stringValue?.contains("field \"completion\" must be") == true)
                #expect(results[2]["error"]?.stringValue == "sample 2: expected a sample object, got a string")
                #expect(results[3]["reward"]?.doubleValue == 0)
            }
        }
    }

    @Test func inlineAndNamedRecipes() async throws {
        try await app(configuration()).test(.router) { client in
            let named =
                #"{"recipe":"format","samples":[{"completion":"<think>\na\n</think>\n<answer>\n1\n</answer>"}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: named)) { r in
                let body = try json(r.body)
                #expect(body["results"]?.arrayValue?.first?.objectValue?["reward"]?.doubleValue == 1)
            }
            let inline =
                #"{"recipe":{"reward":{"scale":{"term":"contains"},"factor":3}},"samples":[{"completion":"7","answer":"7"}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: inline)) { r in
                let body = try json(r.body)
                #expect(body["results"]?.arrayValue?.first?.objectValue?["reward"]?.doubleValue == 3)
            }
            let bad = #"{"recipe":{"reward":{"term":"format","params":{"mode":"x"}}},"samples":[]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: bad)) { r in
                #expect(r.status == .badRequest)
                let body = try json(r.body)
                #expect(body["error"]?.stringValue?.contains("reward.params.mode") == true)
            }
            try await client.execute(
                uri: "/v1/score", method: .post, body: ByteBuffer(string: #"{"recipe":"nope","samples":[]}"#)
            ) { r in
                #expect(r.status == .badRequest)
                let body = try json(r.body)
                #expect(body["error"]?.stringValue?.contains("unknown recipe \"nope\"") == true)
            }
        }
    }

    @Test func malformedJSONIs400WithTheParseError() async throws {
        try await app(configuration()).test(.router) { client in
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: #"{"samples": [}"#)) {
                r in
                #expect(r.status == .badRequest)
                let body = try json(r.body)
                #expect(
                    body["error"]?.stringValue?.hasPrefix(
                        "malformed JSON: unexpected character '}', expected a value at byte 13") == true)
            }
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await app(configuration { $0.maxBodyBytes = 1000 }).test(.router) { client in
            let body = #"{"samples":[{"completion":""# + String(repeating: "x", count: 5000) + #""}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
    }

    @Test func tokenGuardsEveryRouteButHealthz() async throws {
        try await app(configuration { $0.token = "s3cret" }).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/recipes", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/recipes", method: .get, headers: [.authorization: "Bearer wrong"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/recipes", method: .get, headers: [.authorization: "Bearer s3cret"]) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test func aFullQueueAnswers429WithRetryAfter() async throws {
        let c = configuration {
            $0.concurrency = 1
            $0.queueLimit = 1
            $0.defaultRecipe = "slow"
        }
        try await app(c).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await client.execute(
                            uri: "/v1/score", method: .post, body: ByteBuffer(string: #"[{"completion":"x"}]"#)
                        ) {
                            ($0.status, $0.headers[.retryAfter])
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .ok }.count == 2, "one running, one queued")
            #expect(statuses.filter { $0.0 == .tooManyRequests }.count == 3)
            #expect(statuses.filter { $0.0 == .tooManyRequests }.allSatisfy { $0.1 == "1" })
        }
    }

    @Test func slowSandboxRunsDoNotQueueScoring() async throws {
        let executor = GatedExecutor()
        let c = configuration {
            $0.sandboxSlots = 1
            $0.queueLimit = 0
            $0.codeExecutor = executor
        }
        try await app(c).test(.router) { client in
            async let run = client.execute(
                uri: "/run_code", method: .post, body: ByteBuffer(string: #"{"code":"x","language":"python"}"#)
            ) { $0.status }
            #expect(await executor.waitForStarts(1), "the first run never started")
            defer { executor.gate.open.withLock { $0 = true } }
            let second = try await client.execute(
                uri: "/run_code", method: .post, body: ByteBuffer(string: #"{"code":"x","language":"python"}"#)
            ) { $0.status }
            let score = try await client.execute(
                uri: "/v1/score", method: .post, body: ByteBuffer(string: #"[{"completion":"1","answer":"1"}]"#)
            ) { $0.status }
            #expect(second == .tooManyRequests, "the one sandbox slot is busy and no queue is allowed")
            #expect(score == .ok, "scoring has its own slots")
            executor.gate.open.withLock { $0 = true }
            #expect(try await run == .ok)
        }
    }

    @Test func aRequestPastItsDeadlineGets503() async throws {
        let c = configuration {
            $0.requestTimeout = 0.2
            $0.defaultRecipe = "slow"
        }
        try await app(c).test(.router) { client in
            try await client.execute(
                uri: "/v1/score", method: .post, body: ByteBuffer(string: #"[{"completion":"x"}]"#)
            ) { r in
                #expect(r.status == .serviceUnavailable)
                let body = try json(r.body)
                #expect(body["error"]?.stringValue?.contains("deadline of 0.2 s") == true)
            }
        }
    }

    @Test func openRLHFStripsThePromptAndUsesLabels() async throws {
        try await app(configuration()).test(.router) { client in
            let body =
                #"{"query":["Q: 2+2?\nA: 4","Q: 3+3?\nA: 5", "Q: no label 4"],"prompts":["Q: 2+2?\n","Q: 3+3?\n","Q:"],"labels":["4","6",null]}"#
            try await client.execute(uri: "/get_reward", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok)
                let o = try json(r.body)
                #expect(o["rewards"]?.arrayValue?.map(\.doubleValue) == [1, 0, 0])
                #expect(o["scores"] == o["rewards"])
                #expect(o["extra_logs"]?.objectValue?["length"]?.arrayValue?.map(\.doubleValue) == [4, 4, 0])
                #expect(o["errors"]?.arrayValue?[2].stringValue?.contains("no reference") == true)
            }
            try await client.execute(
                uri: "/get_reward", method: .post, body: ByteBuffer(string: #"{"query":["a"],"labels":[]}"#)
            ) { r in
                #expect(r.status == .badRequest)
            }
        }
    }

    @Test func runCodeSpeaksSandboxFusion() async throws {
        try await app(configuration { $0.codeExecutor = FakeExecutor() }).test(.router) { client in
            let ok = #"{"code":"print(input())","language":"python","stdin":"hi","run_timeout":3}"#
            try await client.execute(uri: "/run_code", method: .post, body: ByteBuffer(string: ok)) { r in
                let o = try json(r.body)
                #expect(o["status"] == "Success")
                #expect(o["run_result"]?.objectValue?["status"] == "Finished")
                #expect(o["run_result"]?.objectValue?["stdout"] == "hi")
                #expect(o["compile_result"] == .null)
            }
            try await client.execute(
                uri: "/run_code", method: .post, body: ByteBuffer(string: #"{"code":"x","language":"cobol"}"#)
            ) { r in
                #expect(r.status == .unprocessableContent)
                let body = try json(r.body)
                #expect(body["error"]?.stringValue?.contains("unknown language \"cobol\"") == true)
            }
            try await client.execute(
                uri: "/run_code", method: .post,
                body: ByteBuffer(string: #"{"code":"x","language":"python","run_timeout":-1}"#)
            ) { r in
                #expect(r.status == .badRequest)
                let body = try json(r.body)
                #expect(body["error"]?.stringValue?.contains("run_timeout") == true)
            }
            try await client.execute(uri: "/v1/ping", method: .get) { r in
                let body = try JSONParser.parse(String(buffer: r.body))
                #expect(body == .string("pong"))
            }
        }
        try await app(configuration()).test(.router) { client in
            try await client.execute(
                uri: "/run_code", method: .post, body: ByteBuffer(string: #"{"code":"x","language":"python"}"#)
            ) { r in
                #expect(r.status == .serviceUnavailable)
            }
        }
    }

    @Test func metricsCountRequestsAndRejections() async throws {
        try await app(configuration()).test(.router) { client in
            try await client.execute(
                uri: "/v1/score", method: .post, body: ByteBuffer(string: #"[{"completion":"1","answer":"1"}]"#)
            ) { _ in }
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: "{")) { _ in }
            try await client.execute(uri: "/nope", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(text.contains(#"arbiter_requests_total{route="/v1/score",status="200"} 1"#))
                #expect(text.contains(#"arbiter_requests_total{route="/v1/score",status="400"} 1"#))
                #expect(text.contains(#"arbiter_requests_total{route="other",status="404"} 1"#))
                #expect(text.contains(#"arbiter_request_seconds_count{route="/v1/score"} 2"#))
                #expect(text.contains("arbiter_samples_scored_total 1"))
                #expect(text.contains("arbiter_queue_depth 0"))
                // Every earlier request was answered; the scrape itself is the one in flight.
                #expect(text.contains("arbiter_requests_in_flight 1"))
            }
        }
    }

    @Test func recipesRouteListsRecipesAndTerms() async throws {
        try await app(configuration()).test(.router) { client in
            try await client.execute(uri: "/v1/recipes", method: .get) { r in
                let o = try json(r.body)
                #expect(o["default"] == "contains")
                #expect(o["recipes"]?.arrayValue?.count == 4, "contains, slow, long, format")
                #expect(o["terms"]?.arrayValue?.contains { $0.objectValue?["name"] == "overlong" } == true)
            }
        }
    }
}
