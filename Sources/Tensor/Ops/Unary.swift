#if canImport(Glibc)
    import Glibc
#else
    import Foundation
#endif

/// Elementwise unary ops.
extension Tensor {
    /// out = f(x) elementwise (or `bulk(x, out, count)` when given, for vectorised kernels); backward adds
    /// `df(x, out, g)` into x's gradient.
    @inline(__always)
    func map(
        _ op: String, bulk: ((UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void)? = nil,
        _ f: (Float) -> Float, _ df: @escaping (Float, Float, Float) -> Float
    ) -> Tensor {
        let n = count
        let out = Storage(uninitialized: n)
        let px = data
        let po = out.pointer
        if let bulk { bulk(px, po, n) } else { for i in 0..<n { po[i] = f(px[i]) } }
        return Tensor.result(shape, out, inputs: [self]) { o in
            let g = o.gradStorage!.pointer
            let gx = self.ensureGrad()
            for i in 0..<n { gx[i] += df(px[i], po[i], g[i]) }
        }
    }

    /// e^x.
    public func exp() -> Tensor { map("exp", bulk: { FastMath.exp($0, $1, $2) }, { _ in 0 }, { _, y, g in g * y }) }
    /// Natural logarithm (x > 0).
    public func log() -> Tensor { map("log", { logf($0) }, { x, _, g in g / x }) }
    /// x².
    public func square() -> Tensor { map("square", { $0 * $0 }, { x, _, g in 2 * x * g }) }
    /// √x.
    public func sqrt() -> Tensor { map("sqrt", { $0.squareRoot() }, { _, y, g in g / (2 * y) }) }
    /// |x| (subgradient 0 at 0).
    public func abs() -> Tensor { map("abs", { Swift.abs($0) }, { x, _, g in x > 0 ? g : (x < 0 ? -g : 0) }) }
    /// Logistic sigmoid 1 / (1 + e^−x).
    public func sigmoid() -> Tensor {
        map("sigmoid", bulk: Tensor.sigmoidBulk, { _ in 0 }, { _, y, g in g * y * (1 - y) })
    }

    /// dst = σ(src) = 1 / (1 + e^−src), vectorised.
    static func sigmoidBulk(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dst[i] = -src[i] }
        FastMath.exp(dst, dst, n)
        for i in 0..<n { dst[i] = 1 / (1 + dst[i]) }
    }
    /// SiLU x·σ(x) (Elfwing et al. 2017), the activation of Llama's MLP.
    public func silu() -> Tensor {
        let derivative: (Float, Float, Float) -> Float = { x, y, g in
            // y = x·σ(x), so σ(x) = y / x away from 0; at x = 0 the derivative is σ(0) = 1/2.
            let sx = x == 0 ? 0.5 : y / x
            return g * sx * (1 + x * (1 - sx))
        }
        let bulk: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void = { x, y, n in
            Tensor.sigmoidBulk(x, y, n)
            for i in 0..<n { y[i] *= x[i] }
        }
        return map("silu", bulk: bulk, { _ in 0 }, derivative)
    }

    /// Clamps into [lower, upper]; the gradient passes where lower ≤ x ≤ upper (PyTorch's `clamp`).
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        precondition(lower <= upper, "clamped: min \(lower) > max \(upper)")
        let derivative: (Float, Float, Float) -> Float = { x, _, g in x >= lower && x <= upper ? g : 0 }
        return map("clamp", { Swift.min(Swift.max($0, lower), upper) }, derivative)
    }

    /// This tensor stretched to `shape` by broadcasting (gradients are summed back).
    public func broadcast(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        let out = Tensor.binary(
            self, Tensor(zeros: shape), "broadcast", { x, _ in x }, da: { _, _, g in g }, db: { _, _, _ in 0 })
        precondition(out.shape == shape, "broadcast: \(self.shape) does not broadcast to \(shape)")
        return out
    }

    /// The same values viewed with `shape` (same element count); shares storage.
    public func reshaped(_ shape: [Int]) -> Tensor {
        precondition(shape.reduce(1, *) == count, "reshaped: \(self.shape) has \(count) elements, not \(shape)")
        let n = count
        return Tensor.result(shape, storage, inputs: [self]) { o in
            let g = o.gradStorage!.pointer
            let (gx, fresh) = self.gradBuffer()
            if fresh { gx.update(from: g, count: n) } else { FastMath.axpy(1, g, gx, n) }
        }
    }
}
