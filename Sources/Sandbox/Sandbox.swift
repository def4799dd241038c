import CSandbox
import Foundation

/// Runs programs in boxes. Stateless apart from options; any number of runs may go on concurrently (each box is
/// supervised on its own thread, outside Swift's cooperative pool).
public struct Sandbox: Sendable {
    public struct Options: Sendable, Hashable {
        /// Run even when the machine cannot provide a cgroup (limits then hold per process, not per tree).
        /// Off by default: the sandbox refuses to run with weaker isolation.
        public var allowWeakerIsolation: Bool
        /// Boxes of the same shape (command, mounts, limits) kept started ahead of time, so that a run skips the
        /// set-up (namespaces, mounts, and the cgroup attach, which waits for an RCU grace period). 0 = off.
        public var prestartedBoxes: Int
        public init(allowWeakerIsolation: Bool = false, prestartedBoxes: Int = 2) {
            self.allowWeakerIsolation = allowWeakerIsolation
            self.prestartedBoxes = prestartedBoxes
        }
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Runs one execution: start the box, write the files, run, collect files, destroy.
    /// Cancelling the calling task kills the box (its whole tree) and the run throws or returns at once.
    public func run(_ execution: Execution) async throws -> RunResult {
        let options = self.options
        let hook = CancellationHook()
        return try await withTaskCancellationHandler {
            try await Sandbox.onThread {
                try Sandbox.runBlocking(execution, options: options, hook: hook)
            }
        } onCancel: {
            hook.cancel()
        }
    }

    /// Blocking form of `run`, for callers already on their own thread.
    public static func runBlocking(_ execution: Execution, options: Options) throws -> RunResult {
        try runBlocking(execution, options: options, hook: nil)
    }

    static func runBlocking(_ execution: Execution, options: Options, hook: CancellationHook?) throws -> RunResult {
        if hook?.isCancelled == true { throw CancellationError() }  // cancelled while waiting for its thread
        var stdinBytes: [UInt8]? = nil
        var stdinFD: Int32 = -2
        switch execution.stdin {
        case .null: break
        case .bytes(let bytes):
            stdinBytes = bytes
            stdinFD = -1
        case .descriptor(let fd), .ownedDescriptor(let fd): stdinFD = fd
        }
        if stdinFD != -1 && stdinFD != -2 || options.prestartedBoxes == 0 {
            // fall through to a box of its own below
        } else {
            return try finish(try BoxPool.shared.take(execution, options: options), stdin: stdinBytes ?? [], hook: hook)
        }
        let box: Box
        do {
            box = try Box(execution, options: options, stdinFD: stdinFD)
        } catch {
            if case .ownedDescriptor(let fd) = execution.stdin { _ = csb_close(fd) }
            throw error
        }
        if case .ownedDescriptor(let fd) = execution.stdin { _ = csb_close(fd) }
        return try finish(box, stdin: stdinBytes, hook: hook)
    }

    /// Writes the files, runs and destroys one started box.
    /// The box is destroyed on a background thread once the result is known (namespace teardown takes a while).
    static func finish(_ box: Box, stdin: [UInt8]?, hook: CancellationHook? = nil) throws -> RunResult {
        defer {
            hook?.detach()
            Sandbox.reaper.async { box.destroy() }
        }
        try hook?.attach(box)
        for (path, bytes) in box.execution.files.sorted(by: { $0.key < $1.key }) {
            try box.write(path, bytes, executable: box.execution.executables.contains(path))
        }
        let result = try box.run(stdin: stdin)
        // A killed run is no outcome of the program: it is reported as cancelled, never as a signal.
        if hook?.isCancelled == true { throw CancellationError() }
        return result
    }

    /// Where finished boxes are destroyed (killed, reaped, cgroup released).
    static let reaper = DispatchQueue(label: "arbiter.sandbox.reaper", attributes: .concurrent)

    /// Runs `body` on a fresh thread (boxes block in poll/waitpid for up to their wall limit).
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
