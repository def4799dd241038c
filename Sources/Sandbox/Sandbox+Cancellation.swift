import Synchronization

/// Connects a Swift task's cancellation to the box that runs for it: cancelling the task kills the box's whole
/// tree (its pid namespace's init), so the run ends at once and its slot and cgroup are freed.
///
/// A run registers its box before the program starts and unregisters it before the box is destroyed; a cancel
/// that comes before the registration makes the run refuse to start (it throws `CancellationError`).
final class CancellationHook: Sendable {
    private struct State {
        var box: Box?
        var cancelled = false
    }
    private let state = Mutex(State())

    /// Kills the registered box, or marks the run so that it does not start.
    func cancel() {
        state.withLock { s in
            s.cancelled = true
            s.box?.kill()
        }
    }

    /// Registers the box about to run; throws when the task was cancelled already.
    func attach(_ box: Box) throws(CancellationError) {
        let cancelled = state.withLock { s in
            if !s.cancelled { s.box = box }
            return s.cancelled
        }
        if cancelled { throw CancellationError() }
    }

    /// True once `cancel` was called.
    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Unregisters the box (before it is destroyed).
    func detach() {
        state.withLock { $0.box = nil }
    }
}
