import Foundation

extension GRPOConfig.KLEstimator {
    /// The per-token estimate of KL(π ‖ π_ref) and its derivative with respect to log π.
    ///
    /// verl `core_algos.kl_penalty` (k1 `logprob − ref_logprob`, k2 `0.5·(logprob − ref_logprob)²`,
    /// low_var_kl/k3 `exp(u) − u − 1` with u = ref − logp) and TRL `_compute_loss` (k3 only). verl clamps u to
    /// [−20, 20] and k3 to [−10, 10] (`logRatioClamp`, `klClamp`); a clamped quantity passes no gradient.
    public func evaluate(logp: Double, ref: Double, logRatioClamp: Double?, klClamp: Double?)
        -> (value: Double, dLogp: Double)
    {
        switch self {
        case .k1:
            return (logp - ref, 1)
        case .k2:
            let x = logp - ref
            return (0.5 * x * x, x)
        case .k3:
            var u = ref - logp
            var du = -1.0  // du / dlogp
            if let c = logRatioClamp, abs(u) > c {
                u = u > 0 ? c : -c
                du = 0
            }
            let e = Foundation.exp(u)
            var k = e - u - 1
            var dk = (e - 1) * du
            if let c = klClamp, abs(k) > c {
                k = k > 0 ? c : -c
                dk = 0
            }
            return (k, dk)
        }
    }
}
