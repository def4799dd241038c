import Dispatch
import Synchronization

/// A one-shot timer on a Dispatch queue: `action` runs once at `deadline` unless `cancel()` comes first.
///
/// Deadlines use it rather than `Task.sleep`: a sleeping task is resumed on Swift's cooperative pool, which has one
/// thread per core, so a timer fires late by as long as every pool thread is busy (a long synchronous scoring batch,
/// a blocked thread). A Dispatch timer fires on time, and its `action` (settling a race, cancelling a task, killing
/// a box) needs no pool thread either.
final class WallTimer: Sendable {
    private let source: Mutex<(any DispatchSourceTimer)?>

    /// Where the timers fire; actions are short (they settle and cancel, never wait).
    private static let queue = DispatchQueue(label: "arbiter.deadlines", attributes: .concurrent)

    init(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) {
        let left = ContinuousClock.now.duration(to: deadline)
        let nanoseconds = max(0, left.components.seconds * 1_000_000_000 + left.components.attoseconds / 1_000_000_000)
        let timer = DispatchSource.makeTimerSource(queue: Self.queue)
        timer.setEventHandler(handler: action)
        timer.schedule(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds)), leeway: .milliseconds(1))
        timer.activate()
        source = Mutex(timer)
    }

    /// Stops the timer (its action does not run if it has not started) and releases the action.
    func cancel() {
        let timer = source.withLock { s in
            defer { s = nil }
            return s
        }
        timer?.cancel()
    }

    deinit { cancel() }
}
