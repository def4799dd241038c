import Foundation

/// Bounds the work in flight: `concurrency` requests run, `queueLimit` wait, the rest are refused at once.
///
/// Refusing early (429 with Retry-After) is what keeps a service under a trainer's burst from hanging or
/// dropping connections: every accepted request gets exactly one answer. A request that cannot start before its
/// deadline is refused too: at once when the expected wait (the mean time a slot is held, times the line ahead of
/// it, over the slots) already passes the deadline, and otherwise when the deadline passes while it waits. A
/// waiter whose client has gone (its task cancelled) leaves the line.
actor Admission {
    let concurrency: Int
    let queueLimit: Int
    private(set) var running = 0
    private var waiters: [Waiter] = []
    private var nextID = 0
    /// Mean seconds a slot is held (exponentially weighted over the last ~10 requests); nil before the first.
    private(set) var meanHold: Double?

    /// How a request's try for a slot ended.
    enum Entry: Equatable, Sendable {
        /// It holds a slot and must `leave` once done.
        case admitted
        /// The line is full.
        case queueFull(retryAfter: Double)
        /// It could not start before its deadline (refused at once, or dropped from the line at the deadline).
        case tooLate(retryAfter: Double)
        /// Its task was cancelled (the client went away) while it waited.
        case cancelled
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Entry, Never>
        let expiry: Task<Void, Never>
    }

    init(concurrency: Int, queueLimit: Int) {
        precondition(concurrency >= 1 && queueLimit >= 0)
        self.concurrency = concurrency
        self.queueLimit = queueLimit
    }

    var queued: Int { waiters.count }

    /// The expected wait of a request with `ahead` waiters before it, or nil before any slot was released.
    func expectedWait(ahead: Int) -> Double? {
        meanHold.map { $0 * Double(ahead + 1) / Double(concurrency) }
    }

    /// Takes a slot, waiting in line until `deadline` if needed.
    func enter(deadline: ContinuousClock.Instant) async -> Entry {
        if running < concurrency {
            running += 1
            return .admitted
        }
        let wait = expectedWait(ahead: waiters.count)
        guard waiters.count < queueLimit else { return .queueFull(retryAfter: wait ?? 1) }
        let left = ContinuousClock.now.duration(to: deadline).seconds
        if let wait, wait >= left { return .tooLate(retryAfter: wait) }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Entry, Never>) in
                let expiry = Task {
                    guard (try? await Task.sleep(until: deadline)) != nil else { return }  // cancelled: admitted
                    await self.expire(id)
                }
                waiters.append(Waiter(id: id, continuation: c, expiry: expiry))
            }
        } onCancel: {
            Task { await self.drop(id, as: .cancelled) }
        }
    }

    private func expire(_ id: Int) {
        drop(id, as: .tooLate(retryAfter: expectedWait(ahead: 0) ?? 1))
    }

    /// Answers waiter `id` with `entry` and takes it out of the line (if it is still there).
    private func drop(_ id: Int, as entry: Entry) {
        guard let i = waiters.firstIndex(where: { $0.id == id }) else { return }
        let w = waiters.remove(at: i)
        w.expiry.cancel()
        w.continuation.resume(returning: entry)
    }

    /// Gives the slot to the next in line, or frees it; `held` is how long the slot was held.
    func leave(held seconds: Double) {
        meanHold = meanHold.map { 0.9 * $0 + 0.1 * seconds } ?? seconds
        if waiters.isEmpty {
            running -= 1
        } else {
            let w = waiters.removeFirst()
            w.expiry.cancel()
            w.continuation.resume(returning: .admitted)  // the slot is handed over
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
