import Foundation
import Testing

/// deploy/: two `reward serve` replicas behind HAProxy; one is killed (SIGKILL) in the middle of a
/// `reward bench serve` run through the balancer, and no request is lost or answered wrongly.
@Suite(.serialized) struct BalancerTests {
    /// A free TCP port on loopback (bound, read, released).
    static func freePort() throws -> Int {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(s) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(s, $0, length) == 0 && getsockname(s, $0, &length) == 0
            }
        }
        guard ok else { throw BinaryError("cannot bind a loopback port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aReplicaKilledMidRunLosesNoRequest() async throws {
        let haproxy = ["/usr/sbin/haproxy", "/usr/bin/haproxy"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        try #require(haproxy != nil, "haproxy is not installed: run scripts/setup.sh (it installs Debian's haproxy)")
        let (port, stats) = (try Self.freePort(), try Self.freePort())
        let run = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-lb-\(UUID().uuidString)")
        let environment = ProcessInfo.processInfo.environment.merging(
            ["REWARD": try Binary("reward").url.path, "ARBITER_RUN": run.path]
        ) { $1 }
        let script = try Spawned(
            Binary.repoRoot.appendingPathComponent("deploy/replicas.sh").path,
            ["-n", "2", "-p", "\(port)", "-s", "\(stats)", "--", "--workers", "2"],
            environment: environment)
        var failure: (any Error)?
        do {
            try await Self.killAReplicaMidRun(script, port: port)
        } catch {
            failure = error
        }
        // SIGTERM to the script's process group (the script, the replicas, HAProxy), SIGKILL after 60 s; the waits
        // block a thread, so they happen off Swift's cooperative pool.
        let status = try await offThePool { script.stop(grace: 60) }
        #expect(
            status == 0,
            "replicas.sh stops its replicas and HAProxy on SIGTERM and exits 0 (status \(status.map(String.init) ?? "none: still running after SIGKILL")):\n\(script.written)"
        )
        try? FileManager.default.removeItem(at: run)
        if let failure { throw failure }
    }

    static func killAReplicaMidRun(_ script: Spawned, port: Int) async throws {
        let ready = try await offThePool {
            script.waitForOutput(containing: "ready http://127.0.0.1:\(port)", within: 120)
        }
        try #require(ready, "replicas.sh did not get ready within 120 s:\n\(script.written)")
        let lines = script.written.split(separator: "\n").map(String.init)
        // "replica I pid PID port PORT"
        let victim = try #require(
            lines.first { $0.hasPrefix("replica 1 pid ") }.flatMap { Int32($0.split(separator: " ")[3]) })

        let bench = try await Binary("reward").run(
            [
                "bench", "serve", "--port", "\(port)", "--requests", "160", "--mix", "0,90,10", "--concurrency", "12",
                "--seconds", "120", "--kill-pid", "\(victim)",
            ], timeout: 180)
        #expect(bench.status == 0, "\(bench.stderr)")
        #expect(bench.stdout.contains("160 requests in"), "\(bench.stdout)")
        #expect(bench.stdout.contains("a server on port \(port) started elsewhere"), "\(bench.stdout)")
        #expect(bench.stdout.contains("killed process \(victim) (SIGKILL)"), "\(bench.stdout)")
        #expect(kill(victim, 0) != 0, "the replica is gone")
        let code =
            bench.lines.first { $0.hasPrefix("| code |") }?.split(separator: "|")
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        try #require(code.count == 8, "\(bench.stdout)")
        #expect(code[6] == "200: \(code[1])" && code[7] == "0", "every run answered 200 and right:\n\(bench.stdout)")
        #expect(
            bench.lines.contains { $0.hasPrefix("lost responses: 0; wrong answers") && $0.hasSuffix(": 0") },
            "\(bench.stdout)")
    }
}
