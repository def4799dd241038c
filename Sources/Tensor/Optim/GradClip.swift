/// Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_`.
public enum GradClip {
    /// The L2 norm of all gradients together; if it exceeds `maxNorm`, every gradient is scaled by
    /// maxNorm / (norm + 1e-6). Returns the norm before clipping. Large gradients are summed and scaled on
    /// every core.
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        var total = 0.0
        for p in parameters {
            guard let g = p.gradStorage?.pointer else { continue }
            total += sumOfSquares(g, p.count)
        }
        let norm = Float(total.squareRoot())
        let coef = maxNorm / (norm + 1e-6)
        if coef < 1 {
            for p in parameters {
                guard let g = p.gradStorage?.pointer else { continue }
                let pg = SharedPointer(g)
                Parallel.forEach(p.count, minChunk: 1 << 15) { r in for j in r { pg.p[j] *= coef } }
            }
        }
        return norm
    }

    /// Σ g², accumulated in Double: one partial sum per core for large buffers, added in a fixed order.
    static func sumOfSquares(_ g: UnsafeMutablePointer<Float>, _ n: Int) -> Double {
        let chunks = n >= 1 << 16 ? Parallel.workers : 1
        let pg = SharedPointer(g)
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: chunks) { partial in
            partial.initialize(repeating: 0)
            let pp = SharedDoubles(partial.baseAddress!)
            Parallel.forEachChunk(n, chunks: chunks) { c, range in
                var s = 0.0
                for j in range { s += Double(pg.p[j]) * Double(pg.p[j]) }
                pp.p[c] = s
            }
            return partial.reduce(0, +)
        }
    }
}

/// Per-chunk results written by parallel workers, each to its own index.
private struct SharedDoubles: @unchecked Sendable {
    let p: UnsafeMutablePointer<Double>
    init(_ p: UnsafeMutablePointer<Double>) { self.p = p }
}
