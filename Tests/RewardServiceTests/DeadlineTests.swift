import Foundation
import Hummingbird
import HummingbirdTesting
import RewardKit
import Testing

@testable import RewardService

/// Deadlines from the configuration, the `X-Request-Timeout` header and the `timeout` field; refusals of requests
/// that cannot start before their deadline; the body and JSON limits.
@Suite struct DeadlineTests {
    static let sample = #"[{"completion":"x"}]"#

    @Test func theHeaderShortensTheDeadlineAndAskingForMoreDoesNot() async throws {
        let c = configuration {
            $0.requestTimeout = 600
            $0.defaultRecipe = "slow"
        }  // slow: 0.5 s
        try await app(c).test(.router) { client in
            try await client.execute(
                uri: "/v1/score", method: .post, headers: [Guard.timeoutHeader: "0.2"],
                body: ByteBuffer(string: Self.sample)
            ) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(parsed(r)["error"]?.stringValue?.contains("deadline of 0.2 s") == true)
            }
            try await client.execute(
                uri: "/v1/score", method: .post, headers: [Guard.timeoutHeader: "999"],
                body: ByteBuffer(string: Self.sample)
            ) { #expect($0.status == .ok) }
            try await client.execute(
                uri: "/v1/score", method: .post, headers: [Guard.timeoutHeader: "soon"],
                body: ByteBuffer(string: Self.sample)
            ) { r in
                #expect(r.status == .badRequest)
                #expect(parsed(r)["error"]?.stringValue?.contains("X-Request-Timeout") == true)
                #expect(parsed(r)["error"]?.stringValue?.contains("\"soon\"") == true)
            }
        }
    }

    @Test func theTimeoutFieldShortensTheDeadline() async throws {
        let c = configuration {
            $0.requestTimeout = 600
            $0.defaultRecipe = "slow"
        }
        try await app(c).test(.router) { client in
            let short = #"{"timeout":0.2,"samples":[{"completion":"x"}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: short)) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(parsed(r)["error"]?.stringValue?.contains("deadline of 0.2 s") == true)
            }
            let long = #"{"timeout":500,"samples":[{"completion":"x"}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: long)) { r in
                #expect(r.status == .ok)
                #expect(parsed(r)["results"]?.arrayValue?.count == 1)
            }
            let bad = #"{"timeout":-1,"samples":[]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: bad)) { r in
                #expect(r.status == .badRequest)
                #expect(parsed(r)["error"]?.stringValue?.contains("field \"timeout\"") == true)
            }
        }
    }

    /// Once the service knows how long a slot is held, a request whose wait would pass its deadline is refused at
    /// once with 429 and a Retry-After of about that wait, while the slot is still busy (not at its deadline: that
    /// refusal says so in other words, see the next test).
    @Test func aRequestThatCannotStartInTimeIsRefusedAtOnce() async throws {
        let c = configuration {
            $0.concurrency = 1
            $0.defaultRecipe = "slow"
        }
        let server = try RewardServer(c)
        try await Application(router: server.router(), server: server.httpServer).test(.live) { client in
            let port = try #require(client.port)
            // One request teaches the service that a slot is held for about 0.5 s (more on a busy machine).
            let teach = try RawHTTP(port: port)
            try teach.post("/v1/score", body: Self.sample)
            #expect(try await teach.response(timeout: 60).status == 200)
            // Its slot is released (and the hold time learnt) just after the answer.
            #expect(await eventually(within: 60) { server.scoring.running == 0 })
            let hold = try #require(server.scoring.meanHold)
            #expect(hold >= 0.5)
            // A request that holds the only slot for a minute, until its client leaves.
            var holder: RawHTTP? = try RawHTTP(port: port)
            try holder!.post("/v1/score", body: #"{"recipe":"long","samples":[{"completion":"x"}]}"#)
            #expect(await eventually(within: 60) { server.scoring.running == 1 }, "the holder took the slot")
            let refused = try RawHTTP(port: port)
            try refused.post("/v1/score", body: Self.sample, headers: [Guard.timeoutHeader.rawName: "0.3"])
            let (status, head, body) = try await refused.response(timeout: 60)
            #expect(status == 429)
            #expect(head.lowercased().contains("retry-after: \(Int(hold.rounded(.up)))\r\n"), "\(head)")
            #expect(body.contains("cannot start before its deadline of 0.3 s"), "\(body)")
            #expect(body.contains("of work is ahead of it on 1 slots"), "refused at once, not at its deadline: \(body)")
            #expect(server.scoring.queued == 0, "it never waited in line")
            #expect(server.scoring.running == 1, "the holder still holds the slot")
            holder = nil  // closes the connection: the holder is cancelled and its slot freed
            #expect(await eventually(within: 60) { server.scoring.running == 0 }, "the holder's slot is freed")
        }
    }

    /// Without a history to estimate from, a request waits in line; at its deadline it is refused (429), since it
    /// never started, and it leaves the line.
    @Test func aWaiterWhoseDeadlinePassesIsRefusedAndLeavesTheLine() async throws {
        let c = configuration { $0.concurrency = 1 }
        let server = try RewardServer(c)
        try await Application(router: server.router(), server: server.httpServer).test(.live) { client in
            let port = try #require(client.port)
            var holder: RawHTTP? = try RawHTTP(port: port)
            try holder!.post("/v1/score", body: #"{"recipe":"long","samples":[{"completion":"x"}]}"#)
            #expect(await eventually(within: 60) { server.scoring.running == 1 }, "the holder took the slot")
            #expect(server.scoring.meanHold == nil, "no history: the waiter cannot be refused at once")
            let waiter = try RawHTTP(port: port)
            try waiter.post("/v1/score", body: Self.sample, headers: [Guard.timeoutHeader.rawName: "0.2"])
            let (status, head, body) = try await waiter.response(timeout: 60)
            #expect(status == 429)
            #expect(head.lowercased().contains("retry-after: 1\r\n"), "\(head)")
            #expect(body.contains("deadline of 0.2 s passed while it waited for one of 1 slots"), "\(body)")
            #expect(server.scoring.queued == 0, "it left the line")
            #expect(server.scoring.running == 1, "the holder still holds the slot")
            holder = nil
            #expect(await eventually(within: 60) { server.scoring.running == 0 }, "the holder's slot is freed")
        }
    }

    @Test func depthAndMemberLimitsAreNamed() async throws {
        let c = configuration {
            $0.maxJSONDepth = 8
            $0.maxJSONMembers = 100
        }
        try await app(c).test(.router) { client in
            let deep = String(repeating: "[", count: 9) + String(repeating: "]", count: 9)
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: deep)) { r in
                #expect(r.status == .badRequest)
                #expect(parsed(r)["error"]?.stringValue?.contains("depth limit") == true)
            }
            let many = "[" + (0..<101).map { _ in "1" }.joined(separator: ",") + "]"
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: many)) { r in
                #expect(r.status == .contentTooLarge)
                #expect(parsed(r)["error"]?.stringValue?.contains("limit: 100 members") == true)
            }
            let fits = "[" + (0..<33).map { _ in #"{"completion":"1","answer":"1"}"# }.joined(separator: ",") + "]"
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: fits)) { r in
                #expect(r.status == .ok)  // 33 samples + 33 × 2 fields = 99 members
            }
        }
    }

    /// A body over the limit is refused from its Content-Length before any of it is sent; a chunked one is cut at
    /// the limit.
    @Test func oversizedBodiesAreRefusedBeforeTheyAreRead() async throws {
        try await app(configuration { $0.maxBodyBytes = 1000 }).test(.live) { client in
            let port = try #require(client.port)
            let declared = try RawHTTP(port: port)
            try declared.post("/v1/score", body: nil, contentLength: 128 << 20)
            let (status, head, body) = try await declared.response(timeout: 10)
            #expect(status == 413)
            #expect(head.lowercased().contains("connection: close"))
            #expect(body.contains("134217728 bytes (Content-Length)"))

            let chunked = try RawHTTP(port: port)
            try chunked.post("/v1/score", body: nil, headers: ["Transfer-Encoding": "chunked"])
            let chunk = String(repeating: "x", count: 600)
            for _ in 0..<2 { try chunked.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n") }
            let cut = try await chunked.response(timeout: 10)
            #expect(cut.status == 413)
            #expect(cut.body.contains("larger than the limit of 1000 bytes"))
        }
    }
}
