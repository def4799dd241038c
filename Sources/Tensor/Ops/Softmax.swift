/// Softmax-family ops over the last dimension, numerically stabilised by subtracting the row maximum.
extension Tensor {
    /// Shape [..., V] → same: p = exp(z − max) / Σ exp(z − max). Backward: dz = p ⊙ (dp − Σ dp⊙p).
    public func softmax() -> Tensor {
        let v = shape.last ?? 1
        let rows = count / max(v, 1)
        let out = Storage(uninitialized: count)
        Tensor.rowwise(rows, data, out.pointer, v) { z, p in
            let lse = logSumExp(z, v)
            for j in 0..<v { p[j] = z[j] - lse }
            FastMath.exp(p, p, v)
        }
        let x = self
        return Tensor.result(shape, out, inputs: [self]) { o in
            let gx = x.ensureGrad()
            let g = o.gradStorage!.pointer
            let p = out.pointer
            for r in 0..<rows {
                let pr = p + r * v
                let gr = g + r * v
                let dr = gx + r * v
                let dot = FastMath.dot(pr, gr, v)
                for j in 0..<v { dr[j] += pr[j] * (gr[j] - dot) }
            }
        }
    }

    /// Shape [..., V] → same: z − logΣexp(z). Backward: dz = dy − softmax(z) Σ dy.
    public func logSoftmax() -> Tensor {
        let v = shape.last ?? 1
        let rows = count / max(v, 1)
        let out = Storage(uninitialized: count)
        Tensor.rowwise(rows, data, out.pointer, v) { z, y in
            let lse = logSumExp(z, v)
            for j in 0..<v { y[j] = z[j] - lse }
        }
        let x = self
        return Tensor.result(shape, out, inputs: [self]) { o in
            let gx = x.ensureGrad()
            let g = o.gradStorage!.pointer
            let p = Storage(count: v)
            for r in 0..<rows {
                let yr = out.pointer + r * v
                let gr = g + r * v
                let dr = gx + r * v
                FastMath.exp(yr, p.pointer, v)
                let total = Float(FastMath.sum(gr, v))
                for j in 0..<v { dr[j] += gr[j] - p.pointer[j] * total }
            }
        }
    }

    /// Fused log-softmax and gather (llm.c's fused classifier): the log-probability of each row's target.
    /// Shapes: logits [N, V], targets N ids in 0..<V → [N]; out[i] = z[i,t] − logΣexp(z[i]).
    /// Backward: dz[i,j] = dy[i] (δ_{j,t} − p[i,j]). Never materialises the [N, V] log-probabilities.
    public static func gatherLogProbs(_ logits: Tensor, targets: [Int32]) -> Tensor {
        precondition(
            logits.shape.count == 2 && logits.shape[0] == targets.count,
            "gatherLogProbs: logits \(logits.shape) for \(targets.count) targets")
        let n = targets.count
        let v = logits.shape[1]
        for t in targets { precondition(t >= 0 && Int(t) < v, "gatherLogProbs: target \(t) outside 0..<\(v)") }
        let out = Storage(uninitialized: n)
        let lse = Storage(count: n)
        let pz = SharedPointer(logits.data)
        let po = SharedPointer(out.pointer)
        let pl = SharedPointer(lse.pointer)
        Parallel.forEach(n, minChunk: 16) { r in
            for i in r {
                let l = logSumExp(pz.p + i * v, v)
                pl.p[i] = l
                po.p[i] = pz.p[i * v + Int(targets[i])] - l
            }
        }
        return result([n], out, inputs: [logits]) { o in
            withExtendedLifetime(lse) {}
            let g = SharedPointer(o.gradStorage!.pointer)
            let gz = SharedPointer(logits.ensureGrad())
            Parallel.forEach(n, minChunk: 16) { r in
                let p = Storage(count: v)
                for i in r {
                    let zr = pz.p + i * v
                    let dr = gz.p + i * v
                    let gi = g.p[i]
                    for j in 0..<v { p.pointer[j] = zr[j] - pl.p[i] }
                    FastMath.exp(p.pointer, p.pointer, v)
                    for j in 0..<v { dr[j] -= gi * p.pointer[j] }
                    dr[Int(targets[i])] += gi
                }
            }
        }
    }

    /// Entropy of softmax(z) per row: [N..., V] → [N...]; H = logΣexp(z) − Σ p z.
    /// Backward: dz_j = −dy · p_j (log p_j + H).
    public func entropy() -> Tensor {
        let v = shape.last ?? 1
        let rows = count / max(v, 1)
        let out = Storage(count: rows)
        let pz = SharedPointer(data)
        let po = SharedPointer(out.pointer)
        Parallel.forEach(rows, minChunk: 16) { r in
            let p = Storage(count: v)
            for i in r {
                let zr = pz.p + i * v
                let l = logSumExp(zr, v)
                for j in 0..<v { p.pointer[j] = zr[j] - l }
                FastMath.exp(p.pointer, p.pointer, v)
                po.p[i] = l - FastMath.dot(p.pointer, zr, v)
            }
        }
        let x = self
        return Tensor.result(Array(shape.dropLast()), out, inputs: [self]) { o in
            let g = SharedPointer(o.gradStorage!.pointer)
            let gz = SharedPointer(x.ensureGrad())
            Parallel.forEach(rows, minChunk: 16) { r in
                let p = Storage(count: v)
                for i in r {
                    let zr = pz.p + i * v
                    let l = logSumExp(zr, v)
                    let h = po.p[i]
                    let gi = g.p[i]
                    for j in 0..<v { p.pointer[j] = zr[j] - l }
                    FastMath.exp(p.pointer, p.pointer, v)
                    let dr = gz.p + i * v
                    for j in 0..<v { dr[j] -= gi * p.pointer[j] * (zr[j] - l + h) }
                }
            }
        }
    }

    /// Applies `body(row in, row out)` to each of `rows` rows of width `v`, in parallel.
    static func rowwise(
        _ rows: Int, _ src: UnsafeMutablePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ v: Int,
        _ body: @Sendable (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        let s = SharedPointer(src)
        let d = SharedPointer(dst)
        Parallel.forEach(rows, minChunk: 16) { r in
            for i in r { body(s.p + i * v, d.p + i * v) }
        }
    }
}

/// log Σ_j exp(z_j) over z[0..<n], stable (max subtracted), summed in Double.
@inline(__always)
func logSumExp(_ z: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
    let m = FastMath.max(z, n)
    let total = withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { buf -> Double in
        let t = buf.baseAddress!
        for j in 0..<n { t[j] = z[j] - m }
        FastMath.exp(t, t, n)
        return FastMath.sum(t, n)
    }
    return m + Float(_logD(total))
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _logD(_ x: Double) -> Double { Glibc.log(x) }
#else
    import Foundation
    @inline(__always) func _logD(_ x: Double) -> Double { Foundation.log(x) }
#endif
