import Foundation
import Synchronization

/// One long-lived plugin process that answers one JSON line per request line.
///
/// Requests are sent one at a time (the pool guarantees it). A request that gets no full line back within its
/// timeout, or whose process exits, fails; the process is then killed and the pool starts a fresh one.
final class PluginProcess: @unchecked Sendable {  // Process and FileHandle are not Sendable; they are only read
    /// What Foundation's handler threads and the requesting task share.
    private struct State {
        var buffer = Data()
        var waiter: CheckedContinuation<Result<String, PluginFailure>, Never>?
        var exited = false
        var requestNumber: UInt64 = 0

        /// Takes the first complete line out of the buffer.
        mutating func takeLine() -> String? {
            guard let nl = buffer.firstIndex(of: 0x0a) else { return nil }
            let line = buffer[buffer.startIndex..<nl]
            buffer.removeSubrange(buffer.startIndex...nl)
            return String(decoding: line, as: UTF8.self)
        }
    }

    private let state = Mutex(State())
    private let process: Process
    private let input: FileHandle
    let command: String

    init(argv: [String], environment: [String: String]?, workingDirectory: String?) throws {
        PluginProcess.ignoreSIGPIPE
        command = argv.joined(separator: " ")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = argv
        if let environment { process.environment = environment }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.standardError
        input = stdinPipe.fileHandleForWriting
        stdoutPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                self?.finish(.failure(.exited("closed its stdout")))
            } else {
                self?.received(data)
            }
        }
        process.terminationHandler = { [weak self] p in
            self?.state.withLock { $0.exited = true }
            self?.finish(.failure(.exited("exited with status \(p.terminationStatus)")))
        }
        try process.run()
    }

    /// A plugin that died must not kill its host with SIGPIPE when we write to it; writes then fail instead.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    var isAlive: Bool { !state.withLock { $0.exited } && process.isRunning }

    private func received(_ data: Data) {
        let answered = state.withLock { s -> (CheckedContinuation<Result<String, PluginFailure>, Never>, String)? in
            s.buffer.append(data)
            guard let w = s.waiter, let line = s.takeLine() else { return nil }
            s.waiter = nil
            return (w, line)
        }
        if let (w, line) = answered { w.resume(returning: .success(line)) }
    }

    /// Resumes the waiting request, if any, exactly once; with `onlyRequest`, only if that request is the one
    /// waiting.
    private func finish(_ result: Result<String, PluginFailure>, onlyRequest: UInt64? = nil) {
        let w = state.withLock { s -> CheckedContinuation<Result<String, PluginFailure>, Never>? in
            if let onlyRequest, onlyRequest != s.requestNumber { return nil }
            defer { s.waiter = nil }
            return s.waiter
        }
        w?.resume(returning: result)
    }

    /// Sends one line and waits for one line back, at most `timeout` seconds.
    ///
    /// The timeout is a Dispatch timer, not a task on the cooperative pool: a host whose few pool threads are
    /// all busy (blocking calls, long computations) must still see a hung plugin time out on time. Each request
    /// has its own number, so a timer that fires after its request was answered cannot fail the next one.
    func request(_ line: String, timeout: Double) async -> Result<String, PluginFailure> {
        await withCheckedContinuation { c in
            enum Start {
                case answered(String)
                case notRunning
                case waiting(UInt64)
            }
            let start = state.withLock { s -> Start in
                if let l = s.takeLine() { return .answered(l) }  // a line that arrived unasked: take it
                if s.exited { return .notRunning }
                s.waiter = c
                s.requestNumber &+= 1
                return .waiting(s.requestNumber)
            }
            switch start {
            case .answered(let l): c.resume(returning: .success(l))
            case .notRunning: c.resume(returning: .failure(.exited("is not running")))
            case .waiting(let number):
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [weak self] in
                    self?.finish(.failure(.timedOut(timeout)), onlyRequest: number)
                }
                do {
                    try input.write(contentsOf: Data((line + "\n").utf8))
                } catch {
                    finish(.failure(.exited("does not read its stdin (\(error))")))
                }
            }
        }
    }

    /// Kills the process with SIGKILL (after a timeout or a protocol error a plugin gets no chance to linger).
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
        try? input.close()
    }

    deinit { kill() }
}

/// Why a plugin request got no answer.
enum PluginFailure: Error, CustomStringConvertible {
    case timedOut(Double)
    case exited(String)
    var description: String {
        switch self {
        case .timedOut(let t): return "no answer within \(t) s"
        case .exited(let why): return why
        }
    }
}
