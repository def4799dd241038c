/// The token rewards every estimator reads, as verl builds them (verl-project/verl@1dda039b).
///
/// - verl/experimental/reward_loop/reward_manager/base.py `assemble_rm_scores`: each sequence's reward on its last
///   valid token, `rm_scores[i, valid_response_length − 1]`; here the last token whose mask is 1 (the same token for
///   a prefix mask). A row with no valid token carries its reward nowhere a token-level estimator reads it (verl
///   writes it on a padding column, which GAE and REINFORCE++ skip).
/// - verl/trainer/ppo/ray_trainer.py `apply_kl_penalty`: `kld = kl_penalty(old_log_probs, ref_log_prob) · mask`,
///   `token_level_rewards = token_level_scores − β·kld`, logged `actor/reward_kl_penalty` = the batch mean of each
///   row's `masked_mean(kld, mask)` (+ 1e-8 in the count) and `actor/reward_kl_penalty_coeff` = β.
public struct TokenRewards: Sendable, Equatable {
    /// r[i][t], shaped like the mask.
    public var values: [[Double]]
    /// Each row's sum of `values` with its reward counted even when the row has no valid token: the score the
    /// sequence-level estimators read (verl `token_level_rewards.sum(dim=-1)`).
    public var scores: [Double]
    /// `actor/reward_kl_penalty` (nil when `kl_in_reward` is 0).
    public var klPenalty: Double?

    /// - Parameters:
    ///   - rewards: one per row (unscorable rows already replaced by the caller).
    ///   - old: log π_old per token (the rollout's log-probs); read with `ref` when `config.klInReward` > 0.
    public init(
        rewards: [Double], mask: [[Double]], old: [[Double]], ref: [[Double]]?, config: GRPOConfig
    ) throws(GRPOError) {
        values = mask.map { $0.map { _ in 0.0 } }
        scores = rewards
        for i in mask.indices {
            if let last = mask[i].lastIndex(where: { $0 != 0 }) { values[i][last] = rewards[i] }
        }
        guard config.klInReward > 0 else {
            klPenalty = nil
            return
        }
        guard let ref else {
            throw GRPOError("config.kl_in_reward is \(config.klInReward) but ref_logp is missing")
        }
        var penalty = 0.0
        for i in mask.indices {
            var rowKL = 0.0
            for t in mask[i].indices {
                let kld =
                    config.klEstimator.evaluate(
                        logp: old[i][t], ref: ref[i][t], logRatioClamp: config.logRatioClamp, klClamp: config.klClamp
                    ).value * mask[i][t]
                values[i][t] -= config.klInReward * kld
                scores[i] -= config.klInReward * kld
                rowKL += kld * mask[i][t]
            }
            penalty += rowKL / (mask[i].reduce(0, +) + 1e-8)
        }
        klPenalty = mask.isEmpty ? 0 : penalty / Double(mask.count)
    }
}
