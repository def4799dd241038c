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
        forEachChunk(count, chunks: min(workers, count / max(minChunk, 1))) { _, range in body(range) }
    }

    /// Calls `body(chunk, range)` for `chunks` (at least 1) contiguous ranges covering `0..<count`, chunk 0
    /// first, in parallel on `HotPool` when there are several: for loops that keep one partial result per chunk
    /// and combine the partials in chunk order, so the result does not depend on which core ran what.
    @inlinable
    public static func forEachChunk(_ count: Int, chunks: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = max(1, min(chunks, count))
        if chunks == 1 {
            body(0, 0..<count)
            return
        }
        let per = (count + chunks - 1) / chunks
        HotPool.shared.run(chunks) { c in
            let lo = c * per
            let hi = min(count, lo + per)
            if lo < hi { body(c, lo..<hi) }
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
