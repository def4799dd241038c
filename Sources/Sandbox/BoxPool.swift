import CSandbox
import Foundation

/// Boxes started ahead of time, by shape, with managed stdin and stdout. Taking one skips box set-up; a
/// background thread then starts another. Idle boxes hold one sleeping init each and are destroyed at exit.
final class BoxPool: @unchecked Sendable {
    static let shared = BoxPool()

    /// What a box is built from before it knows its files and wall-clock limit.
    struct Shape: Hashable {
        var command: [String]
        var environment: [String]
        var mounts: [Profile.Mount]
        var mountProc: Bool
        var limits: Limits
        var syscalls: [String]
        var enosys: [String]
        var deny: Profile.DenyAction
        var allowWeaker: Bool
        var zygote: String?

        init(_ e: Execution, options: Sandbox.Options) {
            command = e.command
            environment = e.environment
            mounts = e.mounts
            mountProc = e.mountProc
            limits = e.limits
            limits.wallTimeMs = 0  // per run, sent with the start message
            limits.stdoutBytes = 0
            limits.stderrBytes = 0
            syscalls = e.filterProfile.syscalls
            enosys = e.filterProfile.enosys
            deny = e.filterProfile.denyAction
            allowWeaker = options.allowWeakerIsolation
            zygote = e.zygote
        }
    }

    private let lock = NSLock()
    private var idle: [Shape: [Box]] = [:]
    private var refilling: Set<Shape> = []
    private var exitHookInstalled = false
    private var closed = false

    /// A started box for `execution` (managed stdin/stdout): a prestarted one when there is one.
    func take(_ execution: Execution, options: Sandbox.Options) throws -> Box {
        let shape = Shape(execution, options: options)
        let pooled: Box? = lock.withLock {
            if !exitHookInstalled {
                exitHookInstalled = true
                atexit { BoxPool.shared.drain() }
            }
            return idle[shape]?.popLast()
        }
        refill(shape, template: execution, options: options)
        if let pooled {
            pooled.execution = execution
            return pooled
        }
        return try Box(execution, options: options, stdinFD: -1, stdoutFD: -1)
    }

    /// Starts boxes of `shape` on a background thread until `options.prestartedBoxes` are idle.
    private func refill(_ shape: Shape, template: Execution, options: Sandbox.Options) {
        let start: Bool = lock.withLock {
            guard !refilling.contains(shape), (idle[shape]?.count ?? 0) < options.prestartedBoxes else { return false }
            refilling.insert(shape)
            return true
        }
        guard start else { return }
        var blank = template
        blank.files = [:]
        blank.collect = []
        blank.stdin = .null
        let prototype = blank
        let thread = Thread { [self] in
            while lock.withLock({ !closed && (idle[shape]?.count ?? 0) < options.prestartedBoxes }) {
                guard let box = try? Box(prototype, options: options, stdinFD: -1, stdoutFD: -1) else { break }
                let kept = lock.withLock {
                    if closed { return false }
                    idle[shape, default: []].append(box)
                    return true
                }
                if !kept { box.destroy() }
            }
            lock.withLock { _ = refilling.remove(shape) }
        }
        thread.start()
    }

    /// Destroys every idle box and the idle cgroups (at exit).
    func drain() {
        let boxes: [Box] = lock.withLock {
            closed = true
            let all = idle.values.flatMap { $0 }
            idle = [:]
            return all
        }
        for box in boxes { box.destroy() }
        csb_cleanup()
    }
}
