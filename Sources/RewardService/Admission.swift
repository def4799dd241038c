import Foundation
import Synchronization

/// Bounds the work in flight: `concurrency` requests run, `queueLimit` wait, the rest are refused at once.
///
/// Refusing early (429 with Retry-After) is what keeps a service under a trainer's burst from hanging or
/// dropping connections: every accepted request gets exactly one answer. A request that cannot start before its
/// deadline is refused too: at once when the expected wait (the mean time a slot is held, times the line ahead of
/// it, over the slots) already passes the deadline, and otherwise when the deadline passes while it waits. A
/// waiter whose client has gone (its task cancelled) leaves the line.
///
/// A lock, not an actor: a waiter's deadline (a `WallTimer`) and its cancellation take it out of the line at once,
/// on whatever thread they come, without waiting for a thread of Swift's cooperative pool.
final class Admission: Sendable {
    let concurrency: Int
    let queueLimit: Int

    private struct Waiter {
        let id: Int
        /// Set once the waiting task has suspended; an answer that comes before is kept in `State.early`.
        var continuation: CheckedContinuation<Entry, Never>?
        var expiry: WallTimer?
    }

    private struct State {
        var running = 0
        var waiters: [Waiter] = []
        /// Answers to waiters that left the line before their task suspended.
        var early: [Int: Entry] = [:]
        var nextID = 0
        var meanHold: Double?
    }
    private let state = Mutex(State())

    /// How a request's try for a slot ended.
    enum Entry: Equatable, Sendable {
        /// It holds a slot and must `leave` once done.
        case admitted
        /// The line is full.
        case queueFull(retryAfter: Double)
        /// It cannot start before its deadline: refused at once, since the expected wait already passes it.
        case tooLate(retryAfter: Double)
        /// Its deadline passed while it waited in line.
        case expired(retryAfter: Double)
        /// Its task was cancelled (the client went away) while it waited.
        case cancelled
    }

    init(concurrency: Int, queueLimit: Int) {
        precondition(concurrency >= 1 && queueLimit >= 0)
        self.concurrency = concurrency
        self.queueLimit = queueLimit
    }

    /// Requests holding a slot.
    var running: Int { state.withLock { $0.running } }
    /// Requests waiting in line.
    var queued: Int { state.withLock { $0.waiters.count } }
    /// Mean seconds a slot is held (exponentially weighted over the last ~10 requests); nil before the first.
    var meanHold: Double? { state.withLock { $0.meanHold } }

    /// The expected wait of a request with `ahead` waiters before it, or nil before any slot was released.
    func expectedWait(ahead: Int) -> Double? {
        state.withLock { wait($0.meanHold, ahead: ahead) }
    }

    private func wait(_ meanHold: Double?, ahead: Int) -> Double? {
        meanHold.map { $0 * Double(ahead + 1) / Double(concurrency) }
    }

    /// Takes a slot, waiting in line until `deadline` if needed.
    func enter(deadline: ContinuousClock.Instant) async -> Entry {
        let decision: Entry? = state.withLock { s in
            if s.running < concurrency {
                s.running += 1
                return .admitted
            }
            let wait = wait(s.meanHold, ahead: s.waiters.count)
            guard s.waiters.count < queueLimit else { return .queueFull(retryAfter: wait ?? 1) }
            let left = ContinuousClock.now.duration(to: deadline).seconds
            if let wait, wait >= left { return .tooLate(retryAfter: wait) }
            return nil
        }
        if let decision { return decision }
        // In line: registered before the task suspends, so that its deadline and cancellation always find it.
        let id = state.withLock { s in
            defer { s.nextID += 1 }
            s.waiters.append(Waiter(id: s.nextID))
            return s.nextID
        }
        let expiry = WallTimer(at: deadline) { [weak self] in
            guard let self else { return }
            drop(id, as: .expired(retryAfter: expectedWait(ahead: 0) ?? 1))
        }
        state.withLock { s in
            if let i = s.waiters.firstIndex(where: { $0.id == id }) {
                s.waiters[i].expiry = expiry
            } else {
                expiry.cancel()
            }
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Entry, Never>) in
                let early: Entry? = state.withLock { s in
                    if let i = s.waiters.firstIndex(where: { $0.id == id }) {
                        s.waiters[i].continuation = c
                        return nil
                    }
                    return s.early.removeValue(forKey: id)
                }
                if let early { c.resume(returning: early) }
            }
        } onCancel: {
            drop(id, as: .cancelled)
        }
    }

    /// Answers waiter `id` with `entry` and takes it out of the line (if it is still there).
    private func drop(_ id: Int, as entry: Entry) {
        let waiter: Waiter? = state.withLock { s in
            guard let i = s.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            let w = s.waiters.remove(at: i)
            if w.continuation == nil { s.early[id] = entry }
            return w
        }
        waiter?.expiry?.cancel()
        waiter?.continuation?.resume(returning: entry)
    }

    /// Gives the slot to the next in line, or frees it; `held` is how long the slot was held.
    func leave(held seconds: Double) {
        let next: Waiter? = state.withLock { s in
            s.meanHold = s.meanHold.map { 0.9 * $0 + 0.1 * seconds } ?? seconds
            guard !s.waiters.isEmpty else {
                s.running -= 1
                return nil
            }
            let w = s.waiters.removeFirst()  // the slot is handed over
            if w.continuation == nil { s.early[w.id] = .admitted }
            return w
        }
        next?.expiry?.cancel()
        next?.continuation?.resume(returning: .admitted)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
