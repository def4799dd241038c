import CSandbox

extension Sandbox {
    /// Starts `execution` and returns at once; the box runs until its program ends, its wall-clock limit, or
    /// `kill()`. For long-lived helpers (a grader serving many jobs) and programs started ahead of their job.
    /// With `detachStdio`, stdin and stdout are pipes whose other ends the caller takes from the `RunningBox`
    /// (`stdinWrite`, `stdoutRead`) and must close; the execution's `stdin` is then ignored.
    public func launch(_ execution: Execution, detachStdio: Bool = false) async throws -> RunningBox {
        let running = RunningBox()
        let options = self.options
        let started: Void = try await Sandbox.onThread {
            try running.start(execution, options: options, detachStdio: detachStdio)
        }
        _ = started
        return running
    }
}

/// A box whose program runs in the background (see `Sandbox.launch`).
public final class RunningBox: @unchecked Sendable {
    private let lock = NSLockShim()
    private var box: Box?
    private var finished = false
    private var outcome: Result<RunResult, Error>?
    private var waiters: [CheckedContinuation<RunResult, Error>] = []

    init() {}

    /// The caller's ends of a detached stdin (write) and stdout (read), or -1.
    public private(set) var stdinWrite: Int32 = -1
    public private(set) var stdoutRead: Int32 = -1

    func start(_ execution: Execution, options: Sandbox.Options, detachStdio: Bool) throws {
        var stdinFD: Int32 = -2
        switch execution.stdin {
        case .null: stdinFD = -2
        case .bytes: stdinFD = -1
        case .descriptor(let fd), .ownedDescriptor(let fd): stdinFD = fd
        }
        let box: Box
        do {
            if detachStdio {
                box = options.prestartedBoxes > 0 ? try BoxPool.shared.take(execution, options: options)
                    : try Box(execution, options: options, stdinFD: -1, stdoutFD: -1)
            } else {
                box = try Box(execution, options: options, stdinFD: stdinFD)
            }
        } catch {
            if case .ownedDescriptor(let fd) = execution.stdin { _ = csb_close(fd) }
            throw error
        }
        if case .ownedDescriptor(let fd) = execution.stdin { _ = csb_close(fd) }
        for (path, bytes) in execution.files.sorted(by: { $0.key < $1.key }) {
            try box.write(path, bytes, executable: execution.executables.contains(path))
        }
        self.box = box
        if detachStdio { (stdinWrite, stdoutRead) = box.detachStdio() }
        let stdin: [UInt8]? = if !detachStdio, case .bytes(let b) = execution.stdin { b } else { nil }
        let thread = Thread { [self] in
            let result = Result { try box.run(stdin: stdin) }
            lock.lock()
            finished = true  // from here on kill() leaves the (soon reaped) pid alone
            lock.unlock()
            box.destroy()
            lock.lock()
            outcome = result
            let pending = waiters
            waiters = []
            lock.unlock()
            for w in pending { w.resume(with: result) }
        }
        thread.start()
    }

    /// Gives the program `wallTimeMs` from now (its wall time is measured from now on too).
    public func setDeadline(wallTimeMs: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        if !finished, let box { box.setDeadline(wallTimeMs) }
    }

    /// Kills the whole tree now (the pid namespace's init).
    public func kill() {
        lock.lock()
        defer { lock.unlock() }
        if !finished, let pid = box?.pid, pid > 0 { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// True until the program has ended.
    public var isRunning: Bool {
        lock.lock()
        defer { lock.unlock() }
        return !finished
    }

    /// Waits for the end of the run.
    public func result() async throws -> RunResult {
        try await withCheckedThrowingContinuation { continuation in
            lock.lock()
            if let outcome {
                lock.unlock()
                continuation.resume(with: outcome)
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }
}

/// A unix stream socket between the supervisor and a box's program (given to the box as `.ownedDescriptor`),
/// able to pass file descriptors along with bytes.
public final class BoxChannel: @unchecked Sendable {
    public let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Our end, and the other end to hand to a box as `Execution.Input.ownedDescriptor`.
    public static func pair() throws -> (BoxChannel, Int32) {
        var fds: [Int32] = [-1, -1]
        guard csb_socketpair(&fds) == 0 else {
            throw SandboxError(.supervision, step: "socketpair", errno: errno, detail: "channel to a box")
        }
        return (BoxChannel(fd: fds[0]), fds[1])
    }

    /// Sends `bytes` with `descriptors` attached (the receiver gets its own copies; ours stay open).
    public func send(_ bytes: [UInt8], passing descriptors: [Int32] = []) throws {
        let rc = bytes.withUnsafeBytes { raw in
            csb_send_with_fds(fd, raw.baseAddress, raw.count, descriptors, Int32(descriptors.count))
        }
        guard rc == 0 else { throw SandboxError(.supervision, step: "sendmsg", errno: errno, detail: "channel") }
    }

    /// The next line (newline excluded), nil at end of stream; throws after `timeoutMs` without a whole line.
    public func readLine(timeoutMs: Int, limit: Int = 1 << 20) async throws -> [UInt8]? {
        let fd = self.fd
        return try await Sandbox.onThread {
            var buffer = [UInt8](repeating: 0, count: limit)
            let n = buffer.withUnsafeMutableBytes { raw in
                csb_read_line(fd, raw.baseAddress!.assumingMemoryBound(to: CChar.self), limit, Int32(timeoutMs))
            }
            if n == -2 { throw SandboxError(.supervision, step: "read", detail: "no line within \(timeoutMs) ms") }
            if n < 0 {
                if errno == 0 { return nil }
                throw SandboxError(.supervision, step: "read", errno: errno, detail: "channel")
            }
            return Array(buffer[0..<Int(n)])
        }
    }

    /// Writes all of `bytes` to a descriptor of ours (e.g. a detached stdin).
    public static func write(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        let rc = bytes.withUnsafeBytes { csb_write_all(descriptor, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw SandboxError(.supervision, step: "write", errno: errno, detail: "descriptor") }
    }

    /// Closes a descriptor of ours (e.g. a pipe end after passing it on).
    public static func close(_ descriptor: Int32) { _ = csb_close(descriptor) }

    public func close() { _ = csb_close(fd) }
}

import Foundation

/// NSLock under a name that reads as what it is used for here.
typealias NSLockShim = NSLock

#if canImport(Glibc)
import Glibc
#endif
