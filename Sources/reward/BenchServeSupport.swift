import ArgumentParser
import Foundation
import Synchronization

/// The pieces of `reward bench serve` around the load itself: client threads, the request plan, the server
/// process, and its memory and CPU.

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
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { c.resume() }
        }
        return results.update { $0 }
    }
}

/// A value behind a `Mutex`, shared between threads (a class, so escaping closures can hold it).
final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }

    func update<R: Sendable>(_ body: (inout sending Value) -> R) -> R { value.withLock { body(&$0) } }
}

/// Hands out request numbers and kinds until the count or the deadline is reached (from any thread).
final class LoadPlan: Sendable {
    let total: Int
    let deadline: Date
    let schedule: [BenchServe.Kind]
    /// A process killed (SIGKILL) once half of `total` are handed out.
    let killing: Int32?
    private let sent = Locked(0)

    init(total: Int, deadline: Date, weights: [Int], killing: Int32? = nil) {
        self.total = total
        self.deadline = deadline
        self.killing = killing
        // A fixed interleaving of 100 slots in the given proportions.
        var s: [BenchServe.Kind] = []
        for (kind, w) in zip(BenchServe.Kind.allCases, weights) { s += Array(repeating: kind, count: w) }
        schedule = (0..<100).map { s[($0 * 37) % 100] }
    }

    func next() -> (Int, BenchServe.Kind)? {
        sent.update { sent in
            guard sent < total, Date() < deadline else { return nil }
            defer { sent += 1 }
            if let killing, sent == total / 2 { kill(killing, SIGKILL) }
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

    static func start(binary: String?, workers: Int, extra: [String] = []) throws -> ServerProcess {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-bench-\(getpid()).port")
            .path
        try? FileManager.default.removeItem(atPath: portFile)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        p.arguments =
            ["serve", "--port", "0", "--port-file", portFile, "--workers", "\(workers)", "--queue", "4096"] + extra
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        for _ in 0..<300 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
                let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return ServerProcess(process: p, port: port)
            }
            if !p.isRunning {
                throw ValidationError("reward serve exited with status \(p.terminationStatus) before listening")
            }
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
