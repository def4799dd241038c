/// The update half of one step on a scored batch: advantages by `config.advantage_estimator`, then μ iterations
/// of `Policy.update` (TRL `num_iterations`, verl `ppo_epochs`; the whole batch per step), each with one forward
/// pass whose log-probs feed `PolicyLoss` and whose graph takes its gradient seeds.
public enum PolicyUpdate {
    /// What one iteration saw.
    public struct Iteration: Sendable {
        public var loss: PolicyLoss.Result
    }

    /// - Parameters:
    ///   - rollouts: the batch, grouped by `groups`; their `logProbs` are the old log-probs.
    ///   - rewards: one per rollout, nil = unscorable.
    ///   - reference: log-probs of the frozen reference policy (rows × tokens), needed when β ≠ 0 or
    ///     `kl_in_reward` > 0.
    ///   - values: the critic's values at rollout time (rows × tokens), needed by `gae`.
    ///   - measureEntropy: compute entropies (reported in `loss.entropy`) even when the entropy bonus is off.
    /// - Returns: the advantages and one loss report per iteration (at the parameters the iteration started from).
    public static func run<P: Policy>(
        _ policy: inout P, rollouts: [Rollout], rewards: [Double?], groups: Groups, reference: [[Double]]?,
        values: [[Double]]? = nil, config: GRPOConfig, measureEntropy: Bool = false
    ) throws -> (advantages: AdvantageEstimate, iterations: [Iteration]) {
        let mask = rollouts.map { r in
            r.tokens.map { _ in (config.maskTruncated && r.truncated) ? 0.0 : 1.0 }
        }
        let old = rollouts.map(\.logProbs)
        let advantages = try AdvantageEstimate(
            rewards: rewards.map { [$0] }, groups: groups, mask: mask, old: old, ref: reference, values: values,
            config: config)
        let wantEntropy = config.entropyCoef != 0
        var iterations: [Iteration] = []
        for _ in 0..<config.iterations {
            try policy.update(rollouts, temperature: config.temperature, entropies: wantEntropy || measureEntropy) {
                scores in
                let inputs = advantages.lossInputs(
                    logp: scores.logProbs, old: old, ref: config.beta != 0 ? reference : nil, mask: mask,
                    entropy: scores.entropies)
                let loss = try PolicyLoss.compute(inputs, config: config)
                iterations.append(Iteration(loss: loss))
                return (loss.gradLogp, wantEntropy ? loss.gradEntropy : nil)
            }
        }
        return (advantages, iterations)
    }
}
