/// Finite-difference gradient checking, for the tests of this module and of code built on it.
///
/// loss = Σ f(inputs) ⊙ w for fixed random weights w; the analytic gradient from `backward()` is compared
/// with central differences (loss(x + ε) − loss(x − ε)) / 2ε, the loss summed in Double. The error of one
/// input is ‖analytic − numeric‖₂ / max(‖analytic‖₂, ‖numeric‖₂, 1e-6); the check returns the largest.
public enum GradCheck {
    /// The largest per-input relative error; `maxElements` (if set) checks only that many evenly spaced
    /// elements of each input, for large inputs such as a model's weights.
    public static func maxRelativeError(
        _ inputs: [Tensor], eps: Float = 1e-2, maxElements: Int? = nil,
        _ f: ([Tensor]) -> Tensor
    ) -> Double {
        var rng = Xoshiro256(seed: 99)
        for t in inputs {
            t.requiresGrad = true
            t.zeroGrad()
        }
        let out = f(inputs)
        let w = Tensor(randomNormal: out.shape, std: 1, rng: &rng)
        (out * w).sum().backward()
        let weights = w.values
        func loss() -> Double {
            Tensor.withoutGrad {
                let o = f(inputs).values
                return zip(o, weights).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
        }
        var worst = 0.0
        for t in inputs {
            let analytic = t.grad ?? Array(repeating: 0, count: t.count)
            var diff = 0.0
            var na = 0.0
            var nn = 0.0
            let stride = max(1, t.count / max(1, maxElements ?? t.count))
            for i in Swift.stride(from: 0, to: t.count, by: stride) {
                let saved = t.data[i]
                t.data[i] = saved + eps
                let up = loss()
                t.data[i] = saved - eps
                let down = loss()
                t.data[i] = saved
                let numeric = (up - down) / Double(2 * eps)
                let a = Double(analytic[i])
                diff += (a - numeric) * (a - numeric)
                na += a * a
                nn += numeric * numeric
            }
            worst = max(worst, diff.squareRoot() / max(na.squareRoot(), nn.squareRoot(), 1e-6))
        }
        return worst
    }

    /// Directional check for many parameters at once (a whole model): for `directions` random unit
    /// directions d over all inputs, compares ⟨∇f, d⟩ from `backward()` with the central difference
    /// (f(x + εd) − f(x − εd)) / 2ε, where f must return a scalar. Summing over every weight keeps the
    /// derivative large against float32 rounding, unlike checking one tiny gradient entry at a time.
    /// Returns the largest |analytic − numeric| / max(|analytic|, |numeric|, 1e-6).
    public static func maxDirectionalError(
        _ inputs: [Tensor], directions: Int = 3, eps: Float = 1e-2,
        seed: UInt64 = 5, _ f: ([Tensor]) -> Tensor
    ) -> Double {
        var rng = Xoshiro256(seed: seed)
        for t in inputs {
            t.requiresGrad = true
            t.zeroGrad()
        }
        let out = f(inputs)
        precondition(out.count == 1, "maxDirectionalError needs a scalar function, got shape \(out.shape)")
        out.backward()
        let grads = inputs.map { $0.grad ?? Array(repeating: 0, count: $0.count) }
        func value() -> Double { Tensor.withoutGrad { Double(f(inputs).item) } }
        var worst = 0.0
        for _ in 0..<directions {
            var dirs = inputs.map { t in (0..<t.count).map { _ in rng.nextNormal() } }
            let norm = dirs.reduce(0.0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }.squareRoot()
            dirs = dirs.map { $0.map { $0 / norm } }
            let saved = inputs.map(\.values)
            func shift(_ sign: Double) {
                for (k, t) in inputs.enumerated() {
                    for i in 0..<t.count { t.data[i] = saved[k][i] + Float(sign * Double(eps) * dirs[k][i]) }
                }
            }
            shift(1)
            let up = value()
            shift(-1)
            let down = value()
            for (k, t) in inputs.enumerated() { for i in 0..<t.count { t.data[i] = saved[k][i] } }
            let numeric = (up - down) / Double(2 * eps)
            var analytic = 0.0
            for (k, g) in grads.enumerated() { for i in 0..<g.count { analytic += Double(g[i]) * dirs[k][i] } }
            worst = max(worst, Swift.abs(analytic - numeric) / max(Swift.abs(analytic), Swift.abs(numeric), 1e-6))
        }
        return worst
    }

    /// Random inputs of the given shapes; `positive` draws from [0.5, 1.5] instead of N(0, 1).
    public static func inputs(_ shapes: [[Int]], seed: UInt64, positive: Bool = false) -> [Tensor] {
        var rng = Xoshiro256(seed: seed)
        return shapes.map { shape in
            let t = Tensor(randomNormal: shape, std: 1, rng: &rng)
            if positive { for i in 0..<t.count { t.data[i] = 0.5 + Float(rng.nextUniform()) } }
            return t
        }
    }
}
