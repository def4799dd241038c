/// Data-parallel loops over both cores.
public enum Parallel {
    /// Number of workers used by `forEach` (the machine's active processor count).
    public static let workers: Int = max(1, sysconfActiveProcessors())

    /// Calls `body(range)` over disjoint chunks of `0..<count`, in parallel (on `HotPool`) when `count` is at
    /// least `minChunk * 2`; otherwise runs `body(0..<count)` on the calling thread.
    /// `body` must only write to indices inside its range (see `SharedPointer`).
    @inlinable
    public static func forEach(_ count: Int, minChunk: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(workers, count / max(minChunk, 1))
        if chunks <= 1 {
            body(0..<count)
            return
        }
        let per = (count + chunks - 1) / chunks
        HotPool.shared.run(chunks) { c in
            let lo = c * per
            let hi = min(count, lo + per)
            if lo < hi { body(lo..<hi) }
        }
    }
}

#if canImport(Glibc)
    import Glibc
    @usableFromInline func sysconfActiveProcessors() -> Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
#else
    import Foundation
    @usableFromInline func sysconfActiveProcessors() -> Int { ProcessInfo.processInfo.activeProcessorCount }
#endif
