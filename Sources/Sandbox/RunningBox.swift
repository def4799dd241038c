import CSandbox
import Foundation

/// A box whose program runs in the background (see `Sandbox.launch`).
public final class RunningBox: @unchecked Sendable {
    private let lock = NSLock()
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
                box =
                    options.prestartedBoxes > 0
                    ? try BoxPool.shared.take(execution, options: options)
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
            outcome = result
            let pending = waiters
            waiters = []
            lock.unlock()
            for w in pending { w.resume(with: result) }
            box.destroy()  // after the result is out: tearing the namespaces down takes a while
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
        if !finished { box?.kill() }
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

#if canImport(Glibc)
    import Glibc
#endif
