/// The advantages of one batch by `config.advantage_estimator`, from the rewards as verl's `compute_advantage`
/// (verl-project/verl@1dda039b, ray_trainer.py) receives them: `TokenRewards` (the reward on the last valid token,
/// minus the KL penalty when `kl_in_reward` > 0), then the estimator.
///
/// Unscorable rewards (nil) follow `config.null_rewards`: `zero` counts them as 0; otherwise the row is left out
/// of its group and of the estimator's statistics (token-level estimators whiten without it) and its advantage is
/// 0 — under `exclude` it also leaves the loss, under `zero_advantage` (TRL) it stays in.
public struct AdvantageEstimate: Sendable {
    /// One advantage per row for the sequence-level estimators (grpo, rloo); nil for the token-level ones.
    public var rows: [Double]?
    /// One advantage per token for the token-level estimators (reinforce_plus_plus(_baseline), gae).
    public var tokens: [[Double]]?
    /// verl's `returns`: the value targets (GAE: A + V before whitening; REINFORCE++: the discounted returns;
    /// otherwise the advantages on the valid tokens, as verl returns `(scores, scores)`).
    public var returns: [[Double]]
    /// Whether each row takes part in the loss.
    public var included: [Bool]
    /// One number per row for logs (rollouts.jsonl): the row's advantage, or for token-level estimators the mean
    /// over its valid tokens (0 for a row without any).
    public var perRow: [Double] = []
    /// The group statistics of the grpo estimator.
    public var group: GroupAdvantages?
    /// `actor/reward_kl_penalty` when `kl_in_reward` > 0.
    public var klPenalty: Double?

    /// - Parameters:
    ///   - rewards: one row per sample, one column per reward function (nil = unscorable).
    ///   - old: the rollout log-probs (read for the KL in the reward).
    ///   - values: the critic's values at rollout time, for `gae`.
    public init(
        rewards columns: [[Double?]], groups: Groups, mask: [[Double]], old: [[Double]], ref: [[Double]]?,
        values: [[Double]]?, config: GRPOConfig
    ) throws(GRPOError) {
        guard columns.count == mask.count else {
            throw GRPOError("rewards has \(columns.count) entries but mask has \(mask.count) rows")
        }
        for (i, row) in columns.enumerated() {
            for (k, r) in row.enumerated() where r.map({ !$0.isFinite }) ?? false {
                throw GRPOError(
                    "rewards[\(i)]\(row.count > 1 ? "[\(k)]" : "") must be a finite number or null, got \(r!)")
            }
        }
        returns = []
        let combined = try RewardColumns.combine(columns, groups: groups, config: config)
        let rewards = combined.rewards.map { r in r ?? (config.nullRewards == .zero ? 0 : nil) }
        let scorable = rewards.map { $0 != nil }
        included = scorable.map { $0 || config.nullRewards == .zeroAdvantage }
        // Rows left out of the estimator's statistics: their tokens do not count.
        let statsMask = mask.indices.map { i in scorable[i] ? mask[i] : mask[i].map { _ in 0 } }
        let tokenRewards = try TokenRewards(
            rewards: rewards.map { $0 ?? 0 }, mask: statsMask, old: old, ref: ref, config: config)
        klPenalty = tokenRewards.klPenalty
        let scores: [Double?] = rewards.indices.map { i in scorable[i] ? tokenRewards.scores[i] : nil }
        switch config.advantageEstimator {
        case .grpo:
            if let direct = combined.advantages {
                rows = direct
            } else {
                let g = try GroupAdvantages(rewards: scores, groups: groups, config: config)
                group = g
                rows = g.values
            }
        case .rloo:
            rows = RLOO.advantages(scores: scores, groups: groups)
        case .reinforcePlusPlusBaseline:
            tokens = try ReinforcePlusPlus.baselineAdvantages(scores: scores, groups: groups, mask: statsMask)
        case .reinforcePlusPlus:
            let r = try ReinforcePlusPlus.advantages(
                tokenRewards: tokenRewards.values, mask: statsMask, gamma: config.gamma)
            (tokens, returns) = (r.advantages, r.returns)
        case .gae:
            guard let values else {
                throw GRPOError(
                    "the gae estimator needs the critic's values: give old_values (or values), rows × tokens")
            }
            let r = try GAE.advantages(
                tokenRewards: tokenRewards.values, values: values, mask: statsMask, gamma: config.gamma,
                lam: config.lam)
            (tokens, returns) = (r.advantages, r.returns)
        }
        if let rows {
            returns = mask.indices.map { i in mask[i].map { rows[i] * $0 } }
        } else if config.advantageEstimator == .reinforcePlusPlusBaseline {
            returns = tokens!
        }
        if var t = tokens {
            for i in t.indices where !scorable[i] { t[i] = t[i].map { _ in 0 } }
            tokens = t
            perRow = t.indices.map { i in
                let n = statsMask[i].reduce(0, +)
                return n > 0 ? zip(t[i], statsMask[i]).reduce(0) { $0 + $1.0 * $1.1 } / n : 0
            }
        } else {
            perRow = rows ?? []
        }
    }

    /// The policy-loss inputs with these advantages.
    public func lossInputs(
        logp: [[Double]], old: [[Double]]?, ref: [[Double]]?, mask: [[Double]], entropy: [[Double]]?
    ) -> PolicyLoss.Inputs {
        if let tokens {
            return PolicyLoss.Inputs(
                logp: logp, oldLogp: old, refLogp: ref, mask: mask, entropy: entropy, tokenAdvantages: tokens,
                included: included)
        }
        return PolicyLoss.Inputs(
            logp: logp, oldLogp: old, refLogp: ref, mask: mask, entropy: entropy, advantages: rows ?? [],
            included: included)
    }
}
