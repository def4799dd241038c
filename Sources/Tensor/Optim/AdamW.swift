import Foundation

/// AdamW: Adam (Kingma & Ba 2015) with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight
/// Decay Regularization", Algorithm 2), step for step as PyTorch's `torch.optim.AdamW`:
///
///     θ ← θ − lr·λ·θ                         (decoupled decay, before the Adam step)
///     m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
///     θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
public final class AdamW {
    /// Hyperparameters, with PyTorch's defaults except weight decay.
    public struct Config: Sendable, Codable, Equatable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.999
        public var eps: Float = 1e-8
        /// λ, applied to parameters whose `decay` flag is true.
        public var weightDecay: Float = 0.0
        public init(beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.eps = eps
            self.weightDecay = weightDecay
        }
    }

    public let parameters: [Tensor]
    /// Per parameter, whether weight decay applies (conventionally false for norms and biases).
    public let decay: [Bool]
    public var config: Config
    /// Number of steps taken (t in the bias corrections).
    public private(set) var step: Int = 0
    /// First and second moments (PyTorch's `exp_avg`, `exp_avg_sq`), one buffer per parameter.
    public let expAvg: [Storage]
    public let expAvgSq: [Storage]

    /// An optimizer over `parameters`; `decay[i]` (default all true) says whether weight decay applies.
    public init(parameters: [Tensor], decay: [Bool]? = nil, config: Config = Config()) {
        precondition(decay == nil || decay!.count == parameters.count, "AdamW: decay flags do not match parameters")
        self.parameters = parameters
        self.decay = decay ?? Array(repeating: true, count: parameters.count)
        self.config = config
        expAvg = parameters.map { Storage(count: $0.count) }
        expAvgSq = parameters.map { Storage(count: $0.count) }
    }

    /// One update with learning rate `lr`, using each parameter's current gradient (missing = zero).
    public func update(lr: Float) {
        step += 1
        let b1 = config.beta1
        let b2 = config.beta2
        let eps = config.eps
        let bc1 = 1 - Float(pow(Double(b1), Double(step)))
        let bc2 = 1 - Float(pow(Double(b2), Double(step)))
        for (i, p) in parameters.enumerated() {
            let theta = SharedPointer(p.data)
            let m = SharedPointer(expAvg[i].pointer)
            let v = SharedPointer(expAvgSq[i].pointer)
            let g = p.gradStorage.map { SharedPointer($0.pointer) }
            let shrink = decay[i] ? 1 - lr * config.weightDecay : 1
            let k = Step(shrink: shrink, b1: b1, b2: b2, lr: lr, bc1: bc1, bc2: bc2, eps: eps)
            Parallel.forEach(p.count, minChunk: 1 << 15) { range in
                var j = range.lowerBound
                while j + 8 <= range.upperBound {
                    var t = UnsafeRawPointer(theta.p + j).loadUnaligned(as: SIMD8<Float>.self)
                    var mj = UnsafeRawPointer(m.p + j).loadUnaligned(as: SIMD8<Float>.self)
                    var vj = UnsafeRawPointer(v.p + j).loadUnaligned(as: SIMD8<Float>.self)
                    let gj = g.map { UnsafeRawPointer($0.p + j).loadUnaligned(as: SIMD8<Float>.self) } ?? .zero
                    k.apply(&t, &mj, &vj, gj)
                    UnsafeMutableRawPointer(theta.p + j).storeBytes(of: t, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(m.p + j).storeBytes(of: mj, as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(v.p + j).storeBytes(of: vj, as: SIMD8<Float>.self)
                    j += 8
                }
                while j < range.upperBound {
                    var t = SIMD8<Float>(repeating: theta.p[j])
                    var mj = SIMD8<Float>(repeating: m.p[j])
                    var vj = SIMD8<Float>(repeating: v.p[j])
                    k.apply(&t, &mj, &vj, SIMD8<Float>(repeating: g?.p[j] ?? 0))
                    theta.p[j] = t[0]
                    m.p[j] = mj[0]
                    v.p[j] = vj[0]
                    j += 1
                }
            }
        }
    }

    /// The coefficients of one update, applied to eight elements at a time: the operations of `update`'s
    /// formula in the same order as one element at a time, so the values are the same.
    struct Step: Sendable {
        let shrink, b1, b2, lr, bc1, bc2, eps: Float

        @inline(__always)
        func apply(_ theta: inout SIMD8<Float>, _ m: inout SIMD8<Float>, _ v: inout SIMD8<Float>, _ g: SIMD8<Float>) {
            theta *= shrink
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            theta -= lr * (m / bc1) / ((v / bc2).squareRoot() + eps)
        }
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// Restores the step counter (with `expAvg`/`expAvgSq` filled by the caller) for exact resume.
    public func restore(step: Int) throws {
        guard step >= 0 else { throw TensorError("AdamW step must be non-negative, got \(step)") }
        self.step = step
    }
}
