import Tensor
import Testing

@Suite("Hot worker pool")
struct HotPoolTests {
    /// Every index runs exactly once per call, over many calls in a row (the pattern of decoding).
    @Test func everyIndexRunsOncePerCall() {
        let counts = Storage(count: 9)
        let p = Counts(counts.pointer)
        for _ in 0..<2000 {
            HotPool.shared.run(9) { i in p.p[i] += 1 }
        }
        #expect(counts.array.allSatisfy { $0 == 2000 }, "\(counts.array)")
        HotPool.shared.run(0) { _ in Issue.record("no index for an empty loop") }
    }

    /// A call from inside a body runs too (on the fallback path) rather than waiting for itself.
    @Test func nestedCallsComplete() {
        let counts = Storage(count: 12)
        let p = Counts(counts.pointer)
        HotPool.shared.run(3) { i in
            HotPool.shared.run(4) { j in p.p[i * 4 + j] += 1 }
        }
        #expect(counts.array.allSatisfy { $0 == 1 }, "\(counts.array)")
    }
}

/// Per-index counters; each index is written by one body call only.
private struct Counts: @unchecked Sendable {
    let p: UnsafeMutablePointer<Float>
    init(_ p: UnsafeMutablePointer<Float>) { self.p = p }
}
