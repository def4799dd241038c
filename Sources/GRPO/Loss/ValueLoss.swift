/// The critic's clipped value loss, verl `compute_value_loss` (verl-project/verl@1dda039b, core_algos.py;
/// after TRL's ppo_trainer.py):
///
///     v_clip = clip_by_value(v, v_old − c, v_old + c)
///     loss = 0.5 · agg(max((v − R)², (v_clip − R)²))
///
/// with c = `value_clip` (verl `cliprange_value`), R the estimator's returns and `agg` the actor's aggregation
/// (`Aggregation`; the critic's `loss_agg_mode` inherits the actor's). Since verl PR #6957 (July 2026) the
/// aggregation runs over the global mini-batch — before, over each micro-batch, so the accumulated gradient
/// grew with the number of micro-batches; one batch here is one global mini-batch. `vf_clipfrac` is the masked
/// mean of (v_clip − R)² > (v − R)².
public struct ValueLoss: Sendable {
    public var loss: Double
    /// verl `critic/vf_clipfrac`.
    public var clipFraction: Double
    /// d loss / d v[i][t] (0 where masked): the seed of the critic's backward pass.
    public var gradValues: [[Double]]

    /// - Parameters:
    ///   - values: the critic's current predictions v (verl `vpreds`).
    ///   - oldValues: the critic's values at rollout time (verl `values`).
    public init(
        values: [[Double]], oldValues: [[Double]], returns: [[Double]], mask: [[Double]], config: GRPOConfig
    ) throws(GRPOError) {
        for (name, m) in [("values", values), ("old_values", oldValues), ("returns", returns)] {
            guard m.count == mask.count else {
                throw GRPOError("\(name) has \(m.count) rows but mask has \(mask.count)")
            }
            for i in m.indices where m[i].count != mask[i].count {
                throw GRPOError("\(name)[\(i)] has \(m[i].count) tokens but mask[\(i)] has \(mask[i].count)")
            }
            for i in m.indices {
                for t in m[i].indices where !m[i][t].isFinite {
                    throw GRPOError("\(name)[\(i)][\(t)] must be finite, got \(m[i][t])")
                }
            }
        }
        let w = Aggregation.weights(mask: mask, config: config)
        let c = config.valueClip
        var losses = mask.map { $0.map { _ in 0.0 } }
        var clipped = losses
        gradValues = losses
        for i in mask.indices {
            for t in mask[i].indices {
                let (v, old, r) = (values[i][t], oldValues[i][t], returns[i][t])
                // torch.max(torch.min(v, old + c), old − c): the gradient passes where v is inside [old − c, old + c]
                let vClip = max(min(v, old + c), old - c)
                let dClip: Double = (v >= old - c && v <= old + c) ? 1 : 0
                let l1 = (v - r) * (v - r)
                let l2 = (vClip - r) * (vClip - r)
                let d1 = 2 * (v - r)
                let d2 = 2 * (vClip - r) * dClip
                losses[i][t] = max(l1, l2)
                let d = l1 > l2 ? d1 : l2 > l1 ? d2 : (d1 + d2) / 2
                gradValues[i][t] = 0.5 * w[i][t] * d
                clipped[i][t] = l2 > l1 ? 1 : 0
            }
        }
        loss = 0.5 * Aggregation.apply(w, losses)
        clipFraction = Metric(mask: mask, normalizers: .verl).tokenMean(clipped)
    }
}
