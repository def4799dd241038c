/// The update half of one GRPO step on a scored batch: advantages, then μ iterations of
/// score → `PolicyLoss` → `Policy.step` (TRL `num_iterations`, verl `ppo_epochs`; the whole batch per step).
public enum PolicyUpdate {
    /// What one iteration saw.
    public struct Iteration: Sendable {
        public var loss: PolicyLoss.Result
    }

    /// - Parameters:
    ///   - rollouts: the batch, grouped by `groups`; their `logProbs` are the old log-probs.
    ///   - rewards: one per rollout, nil = unscorable.
    ///   - reference: log-probs of the frozen reference policy (rows × tokens), needed when β ≠ 0.
    ///   - measureEntropy: compute entropies (reported in `loss.entropy`) even when the entropy bonus is off.
    /// - Returns: the advantages and one loss report per iteration (before each step).
    public static func run<P: Policy>(
        _ policy: inout P, rollouts: [Rollout], rewards: [Double?], groups: Groups, reference: [[Double]]?,
        config: GRPOConfig, measureEntropy: Bool = false
    ) throws -> (advantages: GroupAdvantages, iterations: [Iteration]) {
        let advantages = try GroupAdvantages(rewards: rewards, groups: groups, config: config)
        let mask = rollouts.map { r in
            r.tokens.map { _ in (config.maskTruncated && r.truncated) ? 0.0 : 1.0 }
        }
        let wantEntropy = config.entropyCoef != 0
        let scoreEntropy = wantEntropy || measureEntropy
        var iterations: [Iteration] = []
        for _ in 0..<config.iterations {
            let scores = try policy.score(rollouts, temperature: config.temperature, entropies: scoreEntropy)
            let inputs = PolicyLoss.Inputs(
                logp: scores.logProbs, oldLogp: rollouts.map(\.logProbs), refLogp: config.beta != 0 ? reference : nil,
                mask: mask, entropy: scores.entropies, advantages: advantages.values, included: advantages.included)
            let loss = try PolicyLoss.compute(inputs, config: config)
            iterations.append(Iteration(loss: loss))
            try policy.step(
                rollouts, temperature: config.temperature, gradLogProbs: loss.gradLogp,
                gradEntropies: wantEntropy ? loss.gradEntropy : nil)
        }
        return (advantages, iterations)
    }
}
