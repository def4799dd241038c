import RewardKit

/// What `grpo loss` prints: the advantages, the policy loss with its parts, and the value loss.
public struct LossReport: Sendable {
    public var estimate: AdvantageEstimate
    public var result: PolicyLoss.Result
    public var value: ValueLoss?
    public var config: GRPOConfig

    /// `{loss, pg_loss, kl, entropy, advantages, returns, clip_frac: {low, high, region, dual}, metrics,
    /// kl_in_reward: {penalty, coef, coef_next}, value_loss, vf_clipfrac}`: `advantages` are one per row for grpo and
    /// rloo,
    /// rows × tokens for the token-level estimators, which also give `returns`. With `gradients`, also `grad_logp`
    /// (d loss / d logp, rows × tokens), `grad_entropy` and `grad_values` (d value_loss / d values). Absent parts
    /// are null. `coef_next` is the KL controller's coefficient after this batch (`KLController`).
    public func json(gradients: Bool = false) -> JSON {
        func matrix(_ m: [[Double]]) -> JSON { .array(m.map { .array($0.map(JSON.double)) }) }
        let r = result
        var o = JSONObject()
        o["loss"] = .double(r.loss)
        o["pg_loss"] = .double(r.pgLoss)
        o["kl"] = r.kl.map(JSON.double) ?? .null
        o["entropy"] = r.entropy.map(JSON.double) ?? .null
        if let rows = estimate.rows {
            o["advantages"] = .array(rows.map(JSON.double))
        } else {
            o["advantages"] = matrix(estimate.tokens ?? [])
        }
        o["returns"] = config.advantageEstimator.isTokenLevel ? matrix(estimate.returns) : .null
        o["clip_frac"] = [
            "low": .double(r.clipFraction.low), "high": .double(r.clipFraction.high),
            "region": .double(r.clipFraction.region), "dual": .double(r.clipFraction.dual),
        ]
        o["metrics"] = .object(JSONObject(r.metrics.map { ($0.0, JSON.double($0.1)) }))
        o["kl_in_reward"] =
            estimate.klPenalty.map { penalty in
                var controller = KLController(config: config)
                controller.update(currentKL: penalty, rows: estimate.included.count)
                return [
                    "penalty": .double(penalty), "coef": .double(config.klInReward),
                    "coef_next": .double(controller.value),
                ]
            } ?? .null
        o["value_loss"] = value.map { .double($0.loss) } ?? .null
        o["vf_clipfrac"] = value.map { .double($0.clipFraction) } ?? .null
        if gradients {
            o["grad_logp"] = matrix(r.gradLogp)
            o["grad_entropy"] = r.gradEntropy.map(matrix) ?? .null
            o["grad_values"] = value.map { matrix($0.gradValues) } ?? .null
        }
        return .object(o)
    }
}
