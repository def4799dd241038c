import Foundation

/// One long-lived plugin process that answers one JSON line per request line.
///
/// Requests are sent one at a time (the pool guarantees it). A request that gets no full line back within its
/// timeout, or whose process exits, fails; the process is then killed and the pool starts a fresh one.
final class PluginProcess: @unchecked Sendable {
    // All mutable state below is guarded by `lock`; Foundation calls the handlers on its own threads.
    private let lock = NSLock()
    private var buffer = Data()
    private var waiter: CheckedContinuation<Result<String, PluginFailure>, Never>?
    private var exited = false
    private var requestNumber: UInt64 = 0
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
            self?.markExited()
            self?.finish(.failure(.exited("exited with status \(p.terminationStatus)")))
        }
        try process.run()
    }

    /// A plugin that died must not kill its host with SIGPIPE when we write to it; writes then fail instead.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    var isAlive: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !exited && process.isRunning
    }

    private func markExited() {
        lock.lock()
        exited = true
        lock.unlock()
    }

    private func received(_ data: Data) {
        lock.lock()
        buffer.append(data)
        guard let nl = buffer.firstIndex(of: 0x0a), let w = waiter else {
            lock.unlock()
            return
        }
        let line = buffer[buffer.startIndex..<nl]
        buffer.removeSubrange(buffer.startIndex...nl)
        waiter = nil
        lock.unlock()
        w.resume(returning: .success(String(decoding: line, as: UTF8.self)))
    }

    /// Resumes the waiting request, if any, exactly once; with `onlyRequest`, only if that request is the one
    /// waiting.
    private func finish(_ result: Result<String, PluginFailure>, onlyRequest: UInt64? = nil) {
        lock.lock()
        if let onlyRequest, onlyRequest != requestNumber {
            lock.unlock()
            return
        }
        let w = waiter
        waiter = nil
        lock.unlock()
        w?.resume(returning: result)
    }

    /// Sends one line and waits for one line back, at most `timeout` seconds.
    ///
    /// The timeout is a Dispatch timer, not a task on the cooperative pool: a host whose few pool threads are
    /// all busy (blocking calls, long computations) must still see a hung plugin time out on time. Each request
    /// has its own number, so a timer that fires after its request was answered cannot fail the next one.
    func request(_ line: String, timeout: Double) async -> Result<String, PluginFailure> {
        await withCheckedContinuation { c in
            lock.lock()
            if let nl = buffer.firstIndex(of: 0x0a) {  // a line that arrived unasked: take it
                let l = buffer[buffer.startIndex..<nl]
                buffer.removeSubrange(buffer.startIndex...nl)
                lock.unlock()
                c.resume(returning: .success(String(decoding: l, as: UTF8.self)))
                return
            }
            if exited {
                lock.unlock()
                c.resume(returning: .failure(.exited("is not running")))
                return
            }
            waiter = c
            requestNumber &+= 1
            let number = requestNumber
            lock.unlock()
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
