import Foundation
import Sandbox

/// Counters and a latency histogram, written as Prometheus text (exposition format 0.0.4) by `/metrics`.
///
/// Twenty lines of counting do not need a metrics library; the lock keeps updates from many requests exact.
public final class ServiceMetrics: @unchecked Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    private let lock = NSLock()
    private var requests: [String: Int] = [:]  // "route|status"
    private var latencyCounts: [String: [Int]] = [:]  // route → per-bucket counts (non-cumulative) + overflow
    private var latencySums: [String: Double] = [:]
    private var rejections = 0
    private var cancellations = 0
    private var samplesScored = 0
    private var inFlight = 0
    /// Reads the current queue depth when `/metrics` is rendered.
    var queueDepth: @Sendable () async -> Int = { 0 }

    public init() {}

    func record(route: String, status: Int, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        requests["\(route)|\(status)", default: 0] += 1
        var counts = latencyCounts[route] ?? [Int](repeating: 0, count: Self.buckets.count + 1)
        counts[Self.buckets.firstIndex { seconds <= $0 } ?? Self.buckets.count] += 1
        latencyCounts[route] = counts
        latencySums[route, default: 0] += seconds
    }

    /// A request arrived (`+1`) or was answered (`-1`): the `arbiter_requests_in_flight` gauge.
    func inFlight(_ delta: Int) {
        lock.lock()
        inFlight += delta
        lock.unlock()
    }

    func recordRejection() {
        lock.lock()
        rejections += 1
        lock.unlock()
    }

    /// A request whose client closed its connection before the answer.
    func recordCancelled() {
        lock.lock()
        cancellations += 1
        lock.unlock()
    }

    func recordSamples(_ n: Int) {
        lock.lock()
        samplesScored += n
        lock.unlock()
    }

    func render() async -> String {
        let depth = await queueDepth()
        return lock.withLock { text(queueDepth: depth) }
    }

    private func text(queueDepth depth: Int) -> String {
        var s = "# HELP arbiter_requests_total HTTP requests answered, by route and status.\n"
        s += "# TYPE arbiter_requests_total counter\n"
        for (key, n) in requests.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "|")
            s += "arbiter_requests_total{route=\"\(parts[0])\",status=\"\(parts[1])\"} \(n)\n"
        }
        s += "# HELP arbiter_request_seconds Request latency from arrival to answer.\n"
        s += "# TYPE arbiter_request_seconds histogram\n"
        for (route, counts) in latencyCounts.sorted(by: { $0.key < $1.key }) {
            var cumulative = 0
            for (i, bound) in Self.buckets.enumerated() {
                cumulative += counts[i]
                s += "arbiter_request_seconds_bucket{route=\"\(route)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            cumulative += counts[Self.buckets.count]
            s += "arbiter_request_seconds_bucket{route=\"\(route)\",le=\"+Inf\"} \(cumulative)\n"
            s += "arbiter_request_seconds_sum{route=\"\(route)\"} \(latencySums[route] ?? 0)\n"
            s += "arbiter_request_seconds_count{route=\"\(route)\"} \(cumulative)\n"
        }
        s += "# HELP arbiter_sandbox_runs_total Sandboxed program runs, by verdict, whichever route started them "
        s += "(/run_code, /v1/run_tests, the code recipes of /v1/score, compile steps).\n"
        s += "# TYPE arbiter_sandbox_runs_total counter\n"
        for (v, n) in SandboxRuns.snapshot.sorted(by: { $0.key < $1.key }) {
            s += "arbiter_sandbox_runs_total{verdict=\"\(v)\"} \(n)\n"
        }
        s +=
            "# HELP arbiter_samples_scored_total Samples scored by /v1/score and /get_reward.\n# TYPE arbiter_samples_scored_total counter\n"
        s += "arbiter_samples_scored_total \(samplesScored)\n"
        s +=
            "# HELP arbiter_queue_depth Requests waiting for a slot.\n# TYPE arbiter_queue_depth gauge\narbiter_queue_depth \(depth)\n"
        s +=
            "# HELP arbiter_rejections_total Requests refused with 429 (queue full, or no start before the deadline).\n# TYPE arbiter_rejections_total counter\n"
        s += "arbiter_rejections_total \(rejections)\n"
        s += "# HELP arbiter_cancellations_total Requests whose client closed the connection before the answer.\n"
        s += "# TYPE arbiter_cancellations_total counter\narbiter_cancellations_total \(cancellations)\n"
        s += "# HELP arbiter_requests_in_flight Requests received and not yet answered (this scrape included).\n"
        s += "# TYPE arbiter_requests_in_flight gauge\narbiter_requests_in_flight \(inFlight)\n"
        return s
    }
}
