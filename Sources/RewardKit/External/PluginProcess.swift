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

    /// Resumes the waiting request, if any, exactly once.
    private func finish(_ result: Result<String, PluginFailure>) {
        lock.lock()
        let w = waiter
        waiter = nil
        lock.unlock()
        w?.resume(returning: result)
    }

    /// Sends one line and waits for one line back.
    func request(_ line: String, timeout: Double) async -> Result<String, PluginFailure> {
        let timer = Task { [weak self] in
            try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
            self?.finish(.failure(.timedOut(timeout)))
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { c in
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
            lock.unlock()
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
