import Foundation
import Hummingbird
import HummingbirdTesting
import RewardKit
import Sandbox
import Synchronization
import Testing
@testable import RewardService

/// Counts the runs it starts, and sleeps (cancellably) for as long as the request's `run_timeout`.
final class CountingExecutor: CodeExecutor {
    let started = Mutex(0)
    var languages: [String] { ["python"] }
    func run(_ r: RunCodeRequest) async -> RunCodeResponse {
        started.withLock { $0 += 1 }
        try? await Task.sleep(nanoseconds: UInt64((r.runTimeout ?? 1) * 1e9))
        return await FakeExecutor().run(r)
    }
}

/// A request whose client closes its connection is cancelled: dropped from the line, or its box killed and its
/// slot freed. End to end: a real server, a real socket closed mid-request, a real sandbox.
@Suite(.serialized) struct CancellationTests {
    /// A program that opens a file named `marker` in its box, then sleeps for a minute.
    static func sleeper(_ marker: String) -> String {
        #"{"code":"import time\nf = open('/tmp/"# + marker + #"', 'w')\ntime.sleep(60)\nprint('woke')","#
            + #""language":"python","run_timeout":60}"#
    }

    @Test func aClientThatLeavesMidRunHasItsBoxKilledAndItsSlotFreedWithinASecond() async throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let executor = SandboxExecutor(profiles: try Profiles(directory: repo.appendingPathComponent("Sandboxes").path))
        let c = configuration { $0.sandboxSlots = 1; $0.codeExecutor = executor; $0.requestTimeout = 120 }
        let server = try RewardServer(c)
        try await Application(router: server.router()).test(.live) { client in
            let port = try #require(client.port)
            var leaving: RawHTTP? = try RawHTTP(port: port)
            let marker = "arbiter-cancel-\(UUID().uuidString)"
            try leaving!.post("/run_code", body: Self.sleeper(marker))
            #expect(await eventually(within: 30) { await server.sandbox.running == 1 }, "the run took the slot")
            // The program runs (a cancel before its start would be the easier case).
            #expect(await eventually(within: 30) { Self.processes(holding: marker) > 0 }, "the program is running")
            leaving = nil  // closes the socket
            let closed = ContinuousClock.now
            #expect(await eventually(within: 1) { await server.sandbox.running == 0 }, "slot free within a second")
            #expect(closed.duration(to: .now) < .seconds(1))
            #expect(await eventually(within: 5) { Self.processes(holding: marker) == 0 }, "the program was killed")
            // The freed slot serves the next request (a raw connection: POST answers close their connection, which
            // HummingbirdTesting's keep-alive client reports as an error).
            let next = try RawHTTP(port: port)
            try next.post("/run_code", body: #"{"code":"print(6*7)","language":"python","run_timeout":10}"#)
            let answer = try await next.response(timeout: 30)
            #expect(answer.status == 200 && answer.body.contains(#""stdout":"42\n""#), "\(answer.body)")
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(String(buffer: r.body).contains("arbiter_cancellations_total 1"))
            }
        }
    }

    /// Processes holding `marker` open (the sleeper opens it in its box's /tmp; a box's processes are visible in
    /// the host's /proc, and their open files keep the paths they have inside the box).
    static func processes(holding marker: String) -> Int {
        let proc = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return proc.filter { Int($0) != nil }.filter { pid in
            let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
            return fds.contains { fd in
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"))?.contains(marker)
                    == true
            }
        }.count
    }

    @Test func aQueuedRequestWhoseClientLeavesIsDroppedWithoutRunning() async throws {
        let executor = CountingExecutor()
        let c = configuration { $0.sandboxSlots = 1; $0.codeExecutor = executor }
        let server = try RewardServer(c)
        try await Application(router: server.router()).test(.live) { client in
            let port = try #require(client.port)
            let holder = try RawHTTP(port: port)
            try holder.post("/run_code", body: #"{"code":"x","language":"python","run_timeout":2}"#)
            #expect(await eventually(within: 10) { executor.started.withLock { $0 } == 1 })
            var waiter: RawHTTP? = try RawHTTP(port: port)
            try waiter!.post("/run_code", body: #"{"code":"y","language":"python","run_timeout":0.01}"#)
            #expect(await eventually(within: 10) { await server.sandbox.queued == 1 })
            waiter = nil
            #expect(await eventually(within: 1) { await server.sandbox.queued == 0 }, "left the line")
            #expect(try await holder.response(timeout: 10).status == 200)
            #expect(await eventually(within: 5) { await server.sandbox.running == 0 })
            #expect(executor.started.withLock { $0 } == 1, "the dropped request never ran")
        }
    }
}
