import Dispatch

#if os(Linux)
    import Foundation
    import Glibc
    import Synchronization

    /// Parallel loops for chains of short passes (decoding: about 25 passes of 0.1–1 ms per token; a training
    /// step: a few hundred products and elementwise passes of 0.1–5 ms), on worker threads that stay awake
    /// between passes. `Parallel.forEach` and `BLAS.gemm` run on it.
    ///
    /// `DispatchQueue.concurrentPerform` wakes parked workers through the kernel for every pass; on a virtual
    /// machine an idle core can take longer to wake than such a pass lasts, so the caller does most passes
    /// alone (with one block per core, a whole product: training ran 10-18% slower on `concurrentPerform`).
    /// Here each worker spins on a generation counter for `spinSeconds` after its last job before it parks on a
    /// semaphore, so passes that follow each other closely find it running.
    public final class HotPool: @unchecked Sendable {
        /// One pool for the process, with one worker per core besides the caller.
        public static let shared = HotPool(workers: Parallel.workers - 1)

        /// How long an idle worker keeps polling for the next job before parking.
        public static let spinSeconds = 0.000_2

        private struct Job: @unchecked Sendable {
            var generation = 0
            var count = 0
            var next = 0
            var body: UncheckedBody?
        }

        private let job = Mutex(Job())
        private let generation = Atomic<Int>(0)
        private let finished = Atomic<Int>(0)
        private let parked = Atomic<Int>(0)
        private let busy = Atomic<Bool>(false)
        private let wake = DispatchSemaphore(value: 0)
        private let workers: Int

        init(workers: Int) {
            self.workers = workers
            for _ in 0..<workers {
                let thread = Thread { [unowned self] in self.work() }
                thread.start()
            }
        }

        /// Calls `body(i)` for every i in 0..<count, on the caller and the workers, each index claimed once;
        /// returns when all calls have returned. Falls back to `concurrentPerform` while another `run` is in
        /// progress (including from inside a body).
        public func run(_ count: Int, _ body: (Int) -> Void) {
            guard count > 1 else {
                if count == 1 { body(0) }
                return
            }
            guard workers > 0,
                busy.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
            else {
                withoutActuallyEscaping(body) { b in
                    let shared = UncheckedBody(b)
                    DispatchQueue.concurrentPerform(iterations: count) { shared.body($0) }
                }
                return
            }
            defer { busy.store(false, ordering: .releasing) }
            withoutActuallyEscaping(body) { b in
                finished.store(0, ordering: .relaxed)
                let g = job.withLock { j in
                    j.generation += 1
                    j.count = count
                    j.next = 0
                    j.body = UncheckedBody(b)
                    return j.generation
                }
                generation.store(g, ordering: .sequentiallyConsistent)
                if parked.load(ordering: .sequentiallyConsistent) > 0 {
                    for _ in 0..<workers { wake.signal() }
                }
                drain(g)
                while finished.load(ordering: .acquiring) < count { spinHint() }
                job.withLock { $0.body = nil }
            }
        }

        /// Claims and runs indices of job `g` until none is left.
        private func drain(_ g: Int) {
            while runOne(g) {
                finished.add(1, ordering: .releasing)
            }
        }

        /// Runs one unclaimed index of job `g`, if any is left. The body's reference dies with this call,
        /// before `finished` lets `run` return (which checks that the non-escaping body did not escape).
        private func runOne(_ g: Int) -> Bool {
            let claim: (Int, UncheckedBody)? = job.withLock { j in
                guard j.generation == g, j.next < j.count, let body = j.body else { return nil }
                j.next += 1
                return (j.next - 1, body)
            }
            guard let claim else { return false }
            claim.1.body(claim.0)
            return true
        }

        private func work() {
            var seen = 0
            while true {
                var g = generation.load(ordering: .acquiring)
                if g == seen {
                    let start = Self.now()
                    var spins = 0
                    while g == seen {
                        spinHint()
                        spins += 1
                        if spins & 15 == 0 && Self.now() - start > Self.spinSeconds {
                            parked.add(1, ordering: .sequentiallyConsistent)
                            if generation.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                            parked.subtract(1, ordering: .sequentiallyConsistent)
                            spins = 0
                        }
                        g = generation.load(ordering: .acquiring)
                    }
                }
                seen = g
                drain(g)
            }
        }

        private static func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_MONOTONIC, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
        }
    }

    /// One turn of a polling loop: offers the core to any other runnable thread (on a loaded machine a poll
    /// must not take the core from the thread it waits for).
    @inline(__always) private func spinHint() { sched_yield() }
#else
    /// Elsewhere a plain `concurrentPerform`.
    public final class HotPool: @unchecked Sendable {
        public static let shared = HotPool()
        public func run(_ count: Int, _ body: (Int) -> Void) {
            withoutActuallyEscaping(body) { b in
                let shared = UncheckedBody(b)
                DispatchQueue.concurrentPerform(iterations: count) { shared.body($0) }
            }
        }
    }
#endif

/// A body whose captures the caller vouches may be used from several threads at once.
private struct UncheckedBody: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}
