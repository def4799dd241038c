/// The update half of one step on a scored batch: advantages by `config.advantage_estimator`, then μ epochs
/// (TRL `num_iterations`, verl `ppo_epochs`) over `config.mini_batches` contiguous mini-batches, one
/// `Policy.update` per mini-batch, each with one forward pass whose log-probs feed `PolicyLoss` (aggregated over
/// the mini-batch, as verl's actor does) and whose graph takes its gradient seeds.
public enum PolicyUpdate {
    /// What one iteration (one optimizer step on one mini-batch) saw.
    public struct Iteration: Sendable {
        public var loss: PolicyLoss.Result
    }

    /// - Parameters:
    ///   - rollouts: the batch, grouped by `groups`; their `logProbs` are the old log-probs.
    ///   - rewards: one per rollout, nil = unscorable.
    ///   - rewardColumns: when given, one row per rollout with one column per reward function (nil = that function
    ///     gave nothing), combined by `config.multi_objective_aggregation` and `reward_weights` as TRL does;
    ///     `rewards` is then not used for the advantages.
    ///   - reference: log-probs of the frozen reference policy (rows × tokens), needed when β ≠ 0 or
    ///     `kl_in_reward` > 0.
    ///   - values: the critic's values at rollout time (rows × tokens), needed by `gae`.
    ///   - measureEntropy: compute entropies (reported in `loss.entropy`) even when the entropy bonus is off.
    ///   - updatePolicy: false computes the advantages only (PPO's critic warmup).
    /// - Returns: the advantages and one loss report per iteration (at the parameters the iteration started from).
    public static func run<P: Policy>(
        _ policy: inout P, rollouts: [Rollout], rewards: [Double?], rewardColumns: [[Double?]]? = nil,
        groups: Groups, reference: [[Double]]?, values: [[Double]]? = nil, config: GRPOConfig,
        measureEntropy: Bool = false, updatePolicy: Bool = true
    ) throws -> (advantages: AdvantageEstimate, iterations: [Iteration]) {
        let mask = rollouts.map { r in
            r.tokens.map { _ in (config.maskTruncated && r.truncated) ? 0.0 : 1.0 }
        }
        let old = rollouts.map(\.logProbs)
        let advantages = try AdvantageEstimate(
            rewards: rewardColumns ?? rewards.map { [$0] }, groups: groups, mask: mask, old: old, ref: reference,
            values: values,
            config: config)
        guard updatePolicy else { return (advantages, []) }
        let wantEntropy = config.entropyCoef != 0
        let slices = try miniBatches(rows: rollouts.count, count: config.miniBatches)
        var iterations: [Iteration] = []
        for _ in 0..<config.iterations {
            for s in slices {
                let part = advantages.slice(s)
                let (oldPart, maskPart) = (Array(old[s]), Array(mask[s]))
                let refPart = config.beta != 0 ? reference.map { Array($0[s]) } : nil
                try policy.update(
                    Array(rollouts[s]), temperature: config.temperature, entropies: wantEntropy || measureEntropy
                ) { scores in
                    let inputs = part.lossInputs(
                        logp: scores.logProbs, old: oldPart, ref: refPart, mask: maskPart, entropy: scores.entropies)
                    let loss = try PolicyLoss.compute(inputs, config: config)
                    iterations.append(Iteration(loss: loss))
                    return (loss.gradLogp, wantEntropy ? loss.gradEntropy : nil)
                }
            }
        }
        return (advantages, iterations)
    }

    /// `count` contiguous slices of `rows` rows, in order, their sizes differing by at most one (the first ones
    /// larger); verl splits by `ppo_mini_batch_size` without shuffling. Throws when there are fewer rows than slices.
    public static func miniBatches(rows: Int, count: Int) throws(GRPOError) -> [Range<Int>] {
        if count == 1 { return [0..<rows] }
        guard count >= 1, rows >= count else {
            throw GRPOError("mini_batches is \(count) but the batch has \(rows) rows; it needs at least one per slice")
        }
        var out: [Range<Int>] = []
        var start = 0
        for i in 0..<count {
            let size = rows / count + (i < rows % count ? 1 : 0)
            out.append(start..<(start + size))
            start += size
        }
        return out
    }
}

extension AdvantageEstimate {
    /// The rows `range` of this estimate (advantages, returns, inclusion, logs), for one mini-batch.
    public func slice(_ range: Range<Int>) -> AdvantageEstimate {
        var s = self
        s.rows = rows.map { Array($0[range]) }
        s.tokens = tokens.map { Array($0[range]) }
        s.returns = Array(returns[range])
        s.included = Array(included[range])
        s.perRow = perRow.isEmpty ? [] : Array(perRow[range])
        return s
    }
}
