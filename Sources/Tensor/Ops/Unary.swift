#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Elementwise unary ops.
extension Tensor {
    /// out = f(x) elementwise; backward adds `df(x, out, g)` into x's gradient.
    func map(_ op: String, _ f: (Float) -> Float, _ df: @escaping (Float, Float, Float) -> Float) -> Tensor {
        let n = count
        let out = Storage(uninitialized: n)
        let px = data, po = out.pointer
        for i in 0..<n { po[i] = f(px[i]) }
        return Tensor.result(shape, out, inputs: [self]) { o in
            let g = o.gradStorage!.pointer, gx = self.ensureGrad()
            for i in 0..<n { gx[i] += df(px[i], po[i], g[i]) }
        }
    }

    /// e^x.
    public func exp() -> Tensor { map("exp", { FastMath.exp($0) }, { _, y, g in g * y }) }
    /// Natural logarithm (x > 0).
    public func log() -> Tensor { map("log", { logf($0) }, { x, _, g in g / x }) }
    /// x².
    public func square() -> Tensor { map("square", { $0 * $0 }, { x, _, g in 2 * x * g }) }
    /// √x.
    public func sqrt() -> Tensor { map("sqrt", { $0.squareRoot() }, { _, y, g in g / (2 * y) }) }
    /// |x| (subgradient 0 at 0).
    public func abs() -> Tensor { map("abs", { Swift.abs($0) }, { x, _, g in x > 0 ? g : (x < 0 ? -g : 0) }) }
    /// Logistic sigmoid 1 / (1 + e^−x).
    public func sigmoid() -> Tensor { map("sigmoid", { 1 / (1 + FastMath.exp(-$0)) }, { _, y, g in g * y * (1 - y) }) }
    /// SiLU x·σ(x) (Elfwing et al. 2017), the activation of Llama's MLP.
    public func silu() -> Tensor {
        map("silu", { $0 / (1 + FastMath.exp(-$0)) }) { x, _, g in
            let s = 1 / (1 + FastMath.exp(-x))
            return g * s * (1 + x * (1 - s))
        }
    }

    /// Clamps into [lower, upper]; the gradient passes where lower ≤ x ≤ upper (PyTorch's `clamp`).
    public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
        precondition(lower <= upper, "clamped: min \(lower) > max \(upper)")
        return map("clamp", { Swift.min(Swift.max($0, lower), upper) }) { x, _, g in
            x >= lower && x <= upper ? g : 0
        }
    }

    /// This tensor stretched to `shape` by broadcasting (gradients are summed back).
    public func broadcast(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        let out = Tensor.binary(self, Tensor(zeros: shape), "broadcast", { x, _ in x }, da: { _, _, g in g }, db: { _, _, _ in 0 })
        precondition(out.shape == shape, "broadcast: \(self.shape) does not broadcast to \(shape)")
        return out
    }

    /// The same values viewed with `shape` (same element count); shares storage.
    public func reshaped(_ shape: [Int]) -> Tensor {
        precondition(shape.reduce(1, *) == count, "reshaped: \(self.shape) has \(count) elements, not \(shape)")
        let n = count
        return Tensor.result(shape, storage, inputs: [self]) { o in
            let g = o.gradStorage!.pointer, gx = self.ensureGrad()
            for i in 0..<n { gx[i] += g[i] }
        }
    }
}
