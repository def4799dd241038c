/// Bounds the work in flight: `concurrency` requests run, `queueLimit` wait, the rest are refused at once.
///
/// Refusing early (429 with Retry-After) is what keeps a service under a trainer's burst from hanging or
/// dropping connections: every accepted request gets exactly one answer.
actor Admission {
    let concurrency: Int
    let queueLimit: Int
    private(set) var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(concurrency: Int, queueLimit: Int) {
        precondition(concurrency >= 1 && queueLimit >= 0)
        self.concurrency = concurrency
        self.queueLimit = queueLimit
    }

    var queued: Int { waiters.count }

    /// Takes a slot, waiting in line if needed; `false` when the line is full (the caller answers 429).
    func enter() async -> Bool {
        if running < concurrency {
            running += 1
            return true
        }
        guard waiters.count < queueLimit else { return false }
        await withCheckedContinuation { waiters.append($0) }
        return true  // the slot was handed over by `leave`
    }

    /// Gives the slot to the next in line, or frees it.
    func leave() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
