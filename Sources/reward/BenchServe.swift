import ArgumentParser
import Foundation
import RewardKit


/// `reward bench serve`: starts `reward serve` on a free loopback port and drives it with concurrent clients.
///
/// Loopback only, bounded in requests and seconds. The mix: math batches of `--batch` GSM8K samples (half right,
/// half wrong, each result checked), Python runs on `/run_code` (output checked), and malformed bodies (400
/// expected). The clients are threads with keep-alive connections (`LoopbackHTTPClient`). Prints throughput, p50/p99 latency and status counts per kind, responses that were lost or wrong,
/// and the server's resident memory over the run (for a soak, give `--seconds 600 --requests 0`).
struct BenchServe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Load-test `reward serve` on loopback: throughput, latency, status counts, memory.")

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
    var gsm8k = "../shared/datasets/gsm8k_test.jsonl.gz"

    @Option(help: "Percent of requests that are math batches, code runs and malformed bodies.")
    var mix = "70,20,10"

    @Option(help: "The `reward` binary to start as the server (default: this one), to compare builds under one load generator.")
    var server: String?

    func validate() throws {
        guard requests >= 0, seconds > 0, seconds <= 3600 else {
            throw ValidationError("need --requests ≥ 0 and --seconds in (0, 3600], got \(requests), \(seconds)")
        }
        guard (1...1024).contains(concurrency ?? 4 * workers) else { throw ValidationError("--concurrency must be 1...1024") }
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch must be 1...10000, got \(batch)") }
        guard weights.count == 3, weights.reduce(0, +) == 100 else {
            throw ValidationError("--mix must be three percentages adding to 100, got \(mix)")
        }
    }

    var weights: [Int] { mix.split(separator: ",").compactMap { Int($0) } }

    func run() async throws {
        let bodies = try mathBodies()
        let server = try ServerProcess.start(binary: self.server, workers: workers)
        defer { server.stop() }
        let clients = concurrency ?? 4 * workers
        let memory = MemorySampler(pid: server.pid)
        let sampling = Task { await memory.run() }
        let plan = LoadPlan(total: requests == 0 ? Int.max : requests, deadline: Date().addingTimeInterval(seconds),
                            weights: weights)
        let started = Date()
        let serverCPU0 = ProcessCPU.seconds(pid: server.pid) ?? 0
        let clientCPU0 = ProcessCPU.selfSeconds()
        let port = server.port
        let outcomes = await ClientThreads.run(count: clients) {
            let client = LoopbackHTTPClient(port: port)
            var mine: [Outcome] = []
            while let (i, kind) = plan.next() {
                mine.append(Self.send(kind, index: i, client: client, bodies: bodies, batch: batch))
            }
            return mine
        }
        let elapsed = Date().timeIntervalSince(started)
        let cpu = (server: (ProcessCPU.seconds(pid: server.pid) ?? 0) - serverCPU0, client: ProcessCPU.selfSeconds() - clientCPU0)
        sampling.cancel()
        let exit = server.stop()
        report(outcomes, elapsed: elapsed, clients: clients, memory: await memory.samples, exitStatus: exit)
        print("CPU per request: server \(ms(cpu.server / Double(max(1, outcomes.count)))) ms, "
              + "load generator \(ms(cpu.client / Double(max(1, outcomes.count)))) ms (user + system; both share the cores)")
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
                let gold = row["answer"]?.stringValue?.components(separatedBy: "#### ").last?.replacingOccurrences(of: ",", with: "") ?? "0"
                let answer = k % 2 == 0 ? gold : gold + "1"
                return .object(JSONObject([
                    ("id", .int(Int64(k))), ("prompt", row["question"] ?? ""),
                    ("completion", .string("Let me think step by step. The answer is $\\boxed{\(answer)}$.")),
                    ("answer", row["answer"] ?? ""),
                ]))
            }
            return MathBody(bytes: JSONWriter.bytes(.object(JSONObject([("recipe", "math"), ("samples", .array(samples))]))),
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
        case .code: (path, body) = ("/run_code", Array(#"{"code":"print('ok', \#(index))","language":"python","run_timeout":10}"#.utf8))
        case .bad: (path, body) = ("/v1/score", Array(#"{"samples": [{"completion": "x"}"#.utf8))
        }
        let start = Date()
        guard let (status, data, extra) = try? client.post(path, body: body) else {
            return Outcome(kind: kind, status: 0, seconds: Date().timeIntervalSince(start), correct: false)
        }
        let seconds = Date().timeIntervalSince(start)
        let json = try? data.withUnsafeBufferPointer { bytes throws(JSONParseError) in try JSONParser.parse(bytes: bytes) }
        let correct: Bool
        switch kind {
        case .math:
            let results = json?.objectValue?["results"]?.arrayValue ?? []
            let prompts = bodies[index % bodies.count].prompts
            correct = status == 200 && results.count == batch && results.enumerated().allSatisfy { k, r in
                r.objectValue?["prompt"] == prompts[k] &&
                r.objectValue?["id"]?.intValue == k && r.objectValue?["reward"]?.doubleValue == (k % 2 == 0 ? 1 : 0)
            }
        case .code:
            correct = status == 200 && json?.objectValue?["run_result"]?.objectValue?["stdout"]?.stringValue == "ok \(index)\n"
        case .bad:
            correct = status == 400
        }
        return Outcome(kind: kind, status: status, seconds: seconds, correct: correct && !extra)
    }

    func report(_ outcomes: [Outcome], elapsed: Double, clients: Int, memory: [Int], exitStatus: Int32) {
        print("reward bench serve: \(outcomes.count) requests in \(String(format: "%.1f", elapsed)) s, \(clients) clients, "
              + "server --workers \(workers), math batches of \(batch)")
        print("| kind | requests | req/s | p50 ms | p99 ms | max ms | statuses | wrong or lost |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
        for kind in Kind.allCases {
            let mine = outcomes.filter { $0.kind == kind }
            guard !mine.isEmpty else { continue }
            let times = mine.map(\.seconds).sorted()
            let statuses = Dictionary(grouping: mine, by: \.status).map { "\($0.key == 0 ? "lost" : String($0.key)): \($0.value.count)" }
                .sorted().joined(separator: ", ")
            print("| \(kind.rawValue) | \(mine.count) | \(String(format: "%.1f", Double(mine.count) / elapsed)) | "
                  + "\(ms(percentile(times, 0.5))) | \(ms(percentile(times, 0.99))) | \(ms(times.last!)) | \(statuses) | "
                  + "\(mine.filter { !$0.correct }.count) |")
        }
        let lost = outcomes.filter { $0.status == 0 }.count
        print("lost responses: \(lost); wrong answers (a result for another request, or stray bytes on the connection "
              + "such as a duplicated response, count here): \(outcomes.filter { $0.status != 0 && !$0.correct }.count)")
        if let first = memory.first, let last = memory.last, let peak = memory.max() {
            print("server RSS: start \(first / 1024) MiB, end \(last / 1024) MiB, peak \(peak / 1024) MiB "
                  + "(\(memory.count) samples, 1 per second)")
            let marks = (0...10).map { memory[min(memory.count - 1, $0 * (memory.count - 1) / 10)] / 1024 }
            print("server RSS MiB at 0%, 10%, … 100% of the run: \(marks.map(String.init).joined(separator: " "))")
        }
        print("server exit on SIGTERM: status \(exitStatus)")
    }

    func ms(_ s: Double) -> String { String(format: "%.1f", s * 1000) }
    func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(p * Double(sorted.count)))] }
}

/// Runs `count` threads (each a blocking load-generator client) and gathers what they return.
///
/// Threads rather than tasks: the clients block on sockets, which would starve Swift's cooperative pool.
enum ClientThreads {
    static func run<T: Sendable>(count: Int, _ body: @escaping @Sendable () -> [T]) async -> [T] {
        let results = Locked<[T]>([])
        let group = DispatchGroup()
        for _ in 0..<count {
            group.enter()
            let thread = Thread {
                let mine = body()
                results.update { $0 += mine }
                group.leave()
            }
            thread.start()
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in group.notify(queue: .global()) { c.resume() } }
        return results.update { $0 }
    }
}

/// A value behind a lock, shared between threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }

    func update<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// Hands out request numbers and kinds until the count or the deadline is reached (from any thread).
final class LoadPlan: Sendable {
    let total: Int
    let deadline: Date
    let schedule: [BenchServe.Kind]
    private let sent = Locked(0)

    init(total: Int, deadline: Date, weights: [Int]) {
        self.total = total
        self.deadline = deadline
        // A fixed interleaving of 100 slots in the given proportions.
        var s: [BenchServe.Kind] = []
        for (kind, w) in zip(BenchServe.Kind.allCases, weights) { s += Array(repeating: kind, count: w) }
        schedule = (0..<100).map { s[($0 * 37) % 100] }
    }

    func next() -> (Int, BenchServe.Kind)? {
        sent.update { sent in
            guard sent < total, Date() < deadline else { return nil }
            defer { sent += 1 }
            return (sent, schedule[sent % schedule.count])
        }
    }
}

/// The resident set size of a process, sampled once a second (kB, from /proc/PID/status).
actor MemorySampler {
    let pid: Int32
    private(set) var samples: [Int] = []
    init(pid: Int32) { self.pid = pid }

    func run() async {
        while !Task.isCancelled {
            if let rss = Self.rss(pid) { samples.append(rss) }
            try? await Task.sleep(nanoseconds: 1_000_000_000)
        }
    }

    static func rss(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}

/// CPU time (user + system) used by a process, from `/proc/PID/stat` and `getrusage`.
enum ProcessCPU {
    /// Seconds of CPU used so far by process `pid`, or nil when it cannot be read.
    static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15 (proc(5)).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Seconds of CPU used so far by this process.
    static func selfSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}

/// `reward serve` started from this same binary on a free loopback port.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    var pid: Int32 { process.processIdentifier }

    private init(process: Process, port: Int) {
        self.process = process
        self.port = port
    }

    static func start(binary: String?, workers: Int) throws -> ServerProcess {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-bench-\(getpid()).port").path
        try? FileManager.default.removeItem(atPath: portFile)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        p.arguments = ["serve", "--port", "0", "--port-file", portFile, "--workers", "\(workers)", "--queue", "4096"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<300 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return ServerProcess(process: p, port: port)
            }
            if !p.isRunning { throw ValidationError("reward serve exited with status \(p.terminationStatus) before listening") }
            usleep(50_000)
        }
        p.terminate()
        throw ValidationError("reward serve did not start listening within 15 s")
    }

    /// SIGTERM, then waits; the exit status (0 after a graceful shutdown).
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return process.terminationStatus
    }
}
