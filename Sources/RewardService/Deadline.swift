import Synchronization

/// Why `withDeadline` answered without the work's result.
enum Interruption: Sendable, Equatable {
    /// The deadline passed first.
    case deadline
    /// The calling task was cancelled (the client closed its connection).
    case cancelled
}

/// Runs `work` and answers with its result, or with `interrupted(.deadline)` at `deadline`, or with
/// `interrupted(.cancelled)` as soon as the calling task is cancelled, whichever comes first.
///
/// An interrupted work's task is cancelled (a running box is killed, see `Sandbox.run`), but the answer does not
/// wait for it: `finished` runs when the work really ends, so a slot it holds is freed only then.
///
/// The deadline is a `WallTimer` (Dispatch), not a sleeping task: it fires, cancels the work and resumes the caller
/// on time even when every thread of Swift's cooperative pool is busy.
func withDeadline<T: Sendable>(
    _ deadline: ContinuousClock.Instant, interrupted: @escaping @Sendable (Interruption) -> T,
    finished: @escaping @Sendable () async -> Void, _ work: @escaping @Sendable () async -> T
) async -> T {
    let race = Race<T>()
    return await withTaskCancellationHandler {
        await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            race.begin(c)
            let job = Task {
                let value = await work()
                // The timer ends as soon as the work is done, so that a finished request holds no memory for the
                // rest of its deadline.
                race.settle(value, interruptingWork: false)
                await finished()
            }
            let timer = WallTimer(at: deadline) { race.settle(interrupted(.deadline), interruptingWork: true) }
            race.hold(job: job, timer: timer)
        }
    } onCancel: {
        race.settle(interrupted(.cancelled), interruptingWork: true)
    }
}

/// The first of work, timer and cancellation to settle answers; the others find it settled.
private final class Race<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, Never>?
        var answer: T?
        var settled = false
        var interruptWork = false
        var job: Task<Void, Never>?
        var timer: WallTimer?
    }
    private let state = Mutex(State())

    func begin(_ c: CheckedContinuation<T, Never>) {
        let early: T? = state.withLock { s in
            if let answer = s.answer { return answer }  // cancelled before it began
            s.continuation = c
            return nil
        }
        if let early { c.resume(returning: early) }
    }

    func hold(job: Task<Void, Never>, timer: WallTimer) {
        let (cancelJob, cancelTimer) = state.withLock { s in
            s.job = job
            s.timer = timer
            return (s.settled && s.interruptWork, s.settled)
        }
        if cancelJob { job.cancel() }
        if cancelTimer { timer.cancel() }
    }

    /// Answers with `value` unless answered already; `interruptingWork` also cancels the work's task.
    func settle(_ value: T, interruptingWork: Bool) {
        let (c, job, timer): (CheckedContinuation<T, Never>?, Task<Void, Never>?, WallTimer?) =
            state.withLock { s in
                guard !s.settled else { return (nil, nil, nil) }
                s.settled = true
                s.interruptWork = interruptingWork
                if s.continuation == nil { s.answer = value }
                defer { s.continuation = nil }
                defer { s.timer = nil }
                return (s.continuation, interruptingWork ? s.job : nil, s.timer)
            }
        c?.resume(returning: value)
        job?.cancel()
        timer?.cancel()
    }
}
