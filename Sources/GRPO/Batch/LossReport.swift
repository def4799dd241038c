import RewardKit

/// What `grpo loss` prints: the advantages and the loss with its parts.
public struct LossReport: Sendable {
    public var advantages: GroupAdvantages
    public var result: PolicyLoss.Result

    /// `{loss, pg_loss, kl, entropy, advantages, clip_frac: {low, high, region, dual}}`; with `gradients`, also
    /// `grad_logp` (d loss / d logp, rows × tokens) and `grad_entropy`. Absent parts are null.
    public func json(gradients: Bool = false) -> JSON {
        let r = result
        var o = JSONObject()
        o["loss"] = .double(r.loss)
        o["pg_loss"] = .double(r.pgLoss)
        o["kl"] = r.kl.map(JSON.double) ?? .null
        o["entropy"] = r.entropy.map(JSON.double) ?? .null
        o["advantages"] = .array(advantages.values.map(JSON.double))
        o["clip_frac"] = [
            "low": .double(r.clipFraction.low), "high": .double(r.clipFraction.high),
            "region": .double(r.clipFraction.region), "dual": .double(r.clipFraction.dual),
        ]
        if gradients {
            o["grad_logp"] = .array(r.gradLogp.map { .array($0.map(JSON.double)) })
            o["grad_entropy"] = r.gradEntropy.map { .array($0.map { .array($0.map(JSON.double)) }) } ?? .null
        }
        return .object(o)
    }
}
