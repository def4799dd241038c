import ArgumentParser
import Foundation
import RewardKit

/// `reward bench serve`: starts `reward serve` on a free loopback port and drives it with concurrent clients.
///
/// Loopback only, bounded in requests and seconds. The mix: math batches of `--batch` GSM8K samples (half right,
/// half wrong, each result checked), Python runs on `/run_code` (output checked), and malformed bodies (400
/// expected). The clients are threads with keep-alive connections (`LoopbackHTTPClient`). Prints throughput,
/// p50/p99 latency and status counts per kind, responses that were lost or wrong, the CPU time per request of the
/// server and of the load generator, and the server's resident memory over the run (for a soak, give
/// `--seconds 600 --requests 0`).
struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Load-test `reward serve` on loopback: throughput, latency, status counts, memory.")

    @Option(help: "Requests to send in all (0: keep sending until --seconds).")
    var requests = 2000

    @Option(help: "Upper bound on the run's length in seconds.")
    var seconds = 120.0

    @Option(help: "Concurrent clients (default: 4 × --workers).")
    var concurrency: Int?

    @Option(help: "The server's --workers (requests processed at once).")
    var workers = 4

    @Option(help: "Samples per math request.")
    var batch = 64

    @Option(help: "GSM8K JSONL(.gz) whose golds make the math samples.")
    var gsm8k = "Datasets/public/gsm8k_test.jsonl.gz"

    @Option(help: "Percent of requests that are math batches, code runs and malformed bodies.")
    var mix = "70,20,10"

    @Option(help: "The `reward` binary to start as the server (default: this one), to compare builds.")
    var server: String?

    @Option(help: "The started server's --sandbox-slots (default: its own, sized from the machine).")
    var sandboxSlots: Int?

    @Option(help: "The started server's --timeout in seconds (default: its own).")
    var timeout: Double?

    @Option(
        help: ArgumentHelp(
            "Drive a service already listening on 127.0.0.1:PORT (such as deploy/replicas.sh's balancer) "
                + "instead of starting one."))
    var port: Int?

    @Option(help: "Kill this process (SIGKILL) once half the requests are sent: a replica behind the balancer.")
    var killPid: Int32?

    @Flag(
        help: ArgumentHelp(
            "verl's pattern instead of the mix: /run_code test cases (correct, wrong, slow, timing out) from "
                + "--concurrency (default 128) clients with verl's 30 s timeout and no retries but on 504."))
    var verl = false

    func validate() throws {
        guard requests >= 0, seconds > 0, seconds <= 3600 else {
            throw ValidationError("need --requests ≥ 0 and --seconds in (0, 3600], got \(requests), \(seconds)")
        }
        guard (1...1024).contains(concurrency ?? 4 * workers) else {
            throw ValidationError("--concurrency must be 1...1024")
        }
        guard killPid == nil || requests > 0 else { throw ValidationError("--kill-pid needs --requests > 0") }
        guard !verl || requests > 0 else { throw ValidationError("--verl needs --requests > 0") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be 1...10000, got \(batch)") }
        guard weights.count == 3, weights.reduce(0, +) == 100 else {
            throw ValidationError("--mix must be three percentages adding to 100, got \(mix)")
        }
    }

    var weights: [Int] { mix.split(separator: ",").compactMap { Int($0) } }

    func run() async throws {
        var serverArguments: [String] = []
        if let sandboxSlots { serverArguments += ["--sandbox-slots", "\(sandboxSlots)"] }
        if let timeout { serverArguments += ["--timeout", "\(timeout)"] }
        let server =
            try port == nil
            ? ServerProcess.start(binary: self.server, workers: workers, extra: serverArguments)
            : nil
        defer { server?.stop() }
        let port = self.port ?? server!.port
        if verl {
            let load = VerlLoad(port: port, requests: requests, concurrency: concurrency ?? 128)
            let (outcomes, elapsed) = await load.run()
            VerlLoad.report(outcomes, seconds: elapsed, concurrency: load.concurrency)
            if let server { print("server exit on SIGTERM: status \(server.stop())") }
            return
        }
        let bodies = weights[0] > 0 ? try mathBodies() : []
        let clients = concurrency ?? 4 * workers
        let memory = MemorySampler(pid: server?.pid ?? getpid())
        let sampling = Task { if server != nil { await memory.run() } }
        let plan = LoadPlan(
            total: requests == 0 ? Int.max : requests, deadline: Date().addingTimeInterval(seconds),
            weights: weights, killing: killPid)
        let started = Date()
        let serverCPU0 = server.flatMap { ProcessCPU.seconds(pid: $0.pid) } ?? 0
        let clientCPU0 = ProcessCPU.selfSeconds()
        let outcomes = await ClientThreads.run(count: clients) {
            let client = LoopbackHTTPClient(port: port)
            var mine: [Outcome] = []
            while let (i, kind) = plan.next() {
                mine.append(Self.send(kind, index: i, client: client, bodies: bodies, batch: batch))
            }
            return mine
        }
        let elapsed = Date().timeIntervalSince(started)
        let cpu = (
            server: (server.flatMap { ProcessCPU.seconds(pid: $0.pid) } ?? 0) - serverCPU0,
            client: ProcessCPU.selfSeconds() - clientCPU0
        )
        sampling.cancel()
        let exit = server?.stop()
        report(outcomes, elapsed: elapsed, clients: clients, memory: await memory.samples, exitStatus: exit)
        if let killPid { print("killed process \(killPid) (SIGKILL) after \(requests / 2) requests were sent") }
        guard server != nil else { return }
        print(
            "CPU per request: server \(ms(cpu.server / Double(max(1, outcomes.count)))) ms, "
                + "load generator \(ms(cpu.client / Double(max(1, outcomes.count)))) ms "
                + "(user + system; both share the cores)")
    }

    /// A math request: its body of `batch` GSM8K samples (even ids carry the right answer, odd ids a wrong one) and
    /// the prompts its results must echo, in order (so an answer meant for another request is caught).
    struct MathBody: Sendable {
        var bytes: [UInt8]
        var prompts: [JSON]
    }

    func mathBodies() throws -> [MathBody] {
        let rows = try InputFile.objects(gsm8k)
        guard !rows.isEmpty else { throw ValidationError("\(gsm8k) has no rows") }
        return (0..<16).map { b in
            let samples: [JSON] = (0..<batch).map { k in
                let row = rows[(b * batch + k) % rows.count]
                let gold =
                    row["answer"]?.stringValue?.components(separatedBy: "#### ").last?.replacingOccurrences(
                        of: ",", with: "") ?? "0"
                let answer = k % 2 == 0 ? gold : gold + "1"
                return .object(
                    JSONObject([
                        ("id", .int(Int64(k))), ("prompt", row["question"] ?? ""),
                        ("completion", .string("Let me think step by step. The answer is $\\boxed{\(answer)}$.")),
                        ("answer", row["answer"] ?? ""),
                    ]))
            }
            let request = JSON.object(JSONObject([("recipe", "math"), ("samples", .array(samples))]))
            return MathBody(
                bytes: JSONWriter.bytes(request),
                prompts: samples.map { $0.objectValue?["prompt"] ?? .null })
        }
    }

    enum Kind: String, CaseIterable { case math, code, bad }

    struct Outcome {
        var kind: Kind
        var status: Int  // 0: no response (lost)
        var seconds: Double
        var correct: Bool
    }

    static func send(_ kind: Kind, index: Int, client: LoopbackHTTPClient, bodies: [MathBody], batch: Int) -> Outcome {
        let (path, body): (String, [UInt8])
        switch kind {
        case .math: (path, body) = ("/v1/score", bodies[index % bodies.count].bytes)
        case .code:
            (path, body) = (
                "/run_code", Array(#"{"code":"print('ok', \#(index))","language":"python","run_timeout":10}"#.utf8)
            )
        case .bad: (path, body) = ("/v1/score", Array(#"{"samples": [{"completion": "x"}"#.utf8))
        }
        let start = Date()
        guard let (status, data, extra) = try? client.post(path, body: body) else {
            return Outcome(kind: kind, status: 0, seconds: Date().timeIntervalSince(start), correct: false)
        }
        let seconds = Date().timeIntervalSince(start)
        let json = try? data.withUnsafeBufferPointer { bytes throws(JSONParseError) in
            try JSONParser.parse(bytes: bytes)
        }
        let correct: Bool
        switch kind {
        case .math:
            let results = json?.objectValue?["results"]?.arrayValue ?? []
            let prompts = bodies[index % bodies.count].prompts
            correct =
                status == 200 && results.count == batch
                && results.enumerated().allSatisfy { k, r in
                    r.objectValue?["prompt"] == prompts[k] && r.objectValue?["id"]?.intValue == k
                        && r.objectValue?["reward"]?.doubleValue == (k % 2 == 0 ? 1 : 0)
                }
        case .code:
            correct =
                status == 200
                && json?.objectValue?["run_result"]?.objectValue?["stdout"]?.stringValue == "ok \(index)\n"
        case .bad:
            correct = status == 400
        }
        return Outcome(kind: kind, status: status, seconds: seconds, correct: correct && !extra)
    }

    func report(_ outcomes: [Outcome], elapsed: Double, clients: Int, memory: [Int], exitStatus: Int32?) {
        print(
            "reward bench serve: \(outcomes.count) requests in \(String(format: "%.1f", elapsed)) s, \(clients) clients, "
                + (port == nil ? "server --workers \(workers)" : "a server on port \(port!) started elsewhere")
                + ", math batches of \(batch)")
        print("| kind | requests | req/s | p50 ms | p99 ms | max ms | statuses | wrong or lost |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
        for kind in Kind.allCases {
            let mine = outcomes.filter { $0.kind == kind }
            guard !mine.isEmpty else { continue }
            let times = mine.map(\.seconds).sorted()
            let statuses = Dictionary(grouping: mine, by: \.status).map {
                "\($0.key == 0 ? "lost" : String($0.key)): \($0.value.count)"
            }
            .sorted().joined(separator: ", ")
            print(
                "| \(kind.rawValue) | \(mine.count) | \(String(format: "%.1f", Double(mine.count) / elapsed)) | "
                    + "\(ms(percentile(times, 0.5))) | \(ms(percentile(times, 0.99))) | \(ms(times.last!)) | \(statuses) | "
                    + "\(mine.filter { !$0.correct }.count) |")
        }
        let lost = outcomes.filter { $0.status == 0 }.count
        print(
            "lost responses: \(lost); wrong answers (a result for another request, or stray bytes on the connection "
                + "such as a duplicated response, count here): \(outcomes.filter { $0.status != 0 && !$0.correct }.count)"
        )
        if let first = memory.first, let last = memory.last, let peak = memory.max() {
            print(
                "server RSS: start \(first / 1024) MiB, end \(last / 1024) MiB, peak \(peak / 1024) MiB "
                    + "(\(memory.count) samples, 1 per second)")
            let marks = (0...10).map { memory[min(memory.count - 1, $0 * (memory.count - 1) / 10)] / 1024 }
            print("server RSS MiB at 0%, 10%, … 100% of the run: \(marks.map(String.init).joined(separator: " "))")
        }
        if let exitStatus { print("server exit on SIGTERM: status \(exitStatus)") }
    }

    func ms(_ s: Double) -> String { String(format: "%.1f", s * 1000) }
    func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))]
    }
}
