/// Every hyperparameter of the GRPO algorithm, one line each (cleanrl style).
///
/// The defaults are DAPO's (decoupled clip 0.2 / 0.28, token-mean aggregation, no KL, dynamic sampling off) with
/// the project's own conventions (unscorable rewards left out). `GRPOConfig.trl` and `GRPOConfig.verl` reproduce
/// each library's defaults and numerical conventions exactly; see `GRPOConfig+Presets.swift` for the sources.
public struct GRPOConfig: Sendable, Equatable {
    // MARK: Clipped surrogate
    /// ε_low: the ratio is clipped below at 1 − ε_low (TRL `epsilon`, verl `clip_ratio_low`).
    public var epsilonLow: Double = 0.2
    /// ε_high: the ratio is clipped above at 1 + ε_high (TRL `epsilon_high`, verl `clip_ratio_high`; DAPO 0.28).
    public var epsilonHigh: Double = 0.28
    /// Dual clip c > 1 (verl `clip_ratio_c`, arXiv:1912.09729): for A < 0 the token loss is at most −c·A. nil = off.
    public var dualClip: Double? = nil
    /// TRL `delta` (two-sided clipping): the unclipped ratio is capped at δ (> 1 + ε_high) before the min. nil = off.
    public var delta: Double? = nil
    /// Ratio per token, or GSPO's sequence ratio exp(mean_t log(π/π_old)) (TRL `importance_sampling_level`).
    public var importanceSampling: ImportanceSampling = .token
    /// The per-token policy-gradient term: PPO's clipped surrogate or one of its named variants (verl
    /// `policy_loss.loss_mode`, TRL `loss_type`); see `PolicyObjective`.
    public var objective: PolicyObjective = .clip

    // MARK: Regularisers
    /// β, the coefficient of the KL penalty to the frozen reference (0: no reference pass).
    public var beta: Double = 0
    /// The per-token KL estimator (http://joschu.net/blog/kl-approx.html); TRL always uses k3.
    public var klEstimator: KLEstimator = .k3
    /// Coefficient of the entropy bonus: loss −= c·H (verl `entropy_coeff`, aggregated as the loss; TRL `entropy_coef`,
    /// always the masked token mean).
    public var entropyCoef: Double = 0

    // MARK: Advantages
    /// Which advantage estimator turns rewards into advantages (verl `algorithm.adv_estimator`).
    public var advantageEstimator: AdvantageEstimator = .grpo
    /// γ, the discount of GAE and REINFORCE++ (verl `algorithm.gamma`).
    public var gamma: Double = 1
    /// λ of GAE (verl `algorithm.lam`).
    public var lam: Double = 1
    /// Coefficient of the KL penalty subtracted from the token rewards before the estimator (verl
    /// `apply_kl_penalty` with `kl_ctrl.kl_coef`; 0 = off, verl `use_kl_in_reward=False`).
    public var klInReward: Double = 0
    /// How the KL-in-reward coefficient moves from step to step (verl `kl_ctrl.type`; `KLController`).
    public var klControl: KLControl = .fixed
    /// The adaptive controller's target KL and horizon (verl `kl_ctrl.target_kl`, `kl_ctrl.horizon`).
    public var klTarget: Double = 0.1
    public var klHorizon: Int = 10000
    /// How several reward functions' columns become one advantage (TRL `multi_objective_aggregation`).
    public var multiObjectiveAggregation: MultiObjectiveAggregation = .sumThenNormalize
    /// One weight per reward column (TRL `reward_weights`); nil = all 1.
    public var rewardWeights: [Double]? = nil
    /// How advantages are scaled: by the group's std, the batch's std, or not at all (Dr. GRPO).
    public var scaleRewards: RewardScaling = .group
    /// ε in (r − mean) / (std + ε) (TRL 1e-4, verl 1e-6).
    public var advantageEpsilon: Double = 1e-6
    /// Advantage of a group holding one sample: 0 (TRL: std 0) or r / (1 + ε) (verl: mean 0, std 1).
    public var singletonGroups: SingletonGroups = .zeroAdvantage
    /// What an unscorable (null) reward counts as: left out of its group (default) or 0 (TRL's nansum).
    public var nullRewards: NullRewards = .exclude

    // MARK: Aggregation
    /// How per-token losses become one number (verl `loss_agg_mode` names; TRL `loss_type` maps onto them).
    public var lossAggregation: LossAggregation = .tokenMean
    /// Whose normalisers the aggregation and the reported metrics follow (they differ on empty rows and Dr. GRPO).
    public var normalizers: Normalizers = .trl
    /// L_max of Dr. GRPO's seq-mean-token-sum-norm normaliser (nil: the batch's token columns).
    public var maxCompletionLength: Int? = nil

    // MARK: Value loss (critic)
    /// verl `critic.cliprange_value`: the new value is clipped to old ± c in the clipped value loss.
    public var valueClip: Double = 0.5

    // MARK: Parameters of named policy losses (verl `policy_loss.*`, TRL `GRPOConfig`)
    /// kl_cov: fraction of valid tokens (largest covariance of advantage and log-prob) that get the KL term.
    public var klCovRatio: Double = 0.0002
    /// kl_cov: coefficient of |log π − log π_old| on the selected tokens (verl yaml default 0.1).
    public var ppoKLCoef: Double = 0.1
    /// clip_cov: fraction of valid tokens whose gradient is cut.
    public var clipCovRatio: Double = 0.0002
    /// clip_cov: covariance window (lb, ub) of the candidate tokens.
    public var clipCovLB: Double = 1
    public var clipCovUB: Double = 5
    /// TRL sapo: gate temperatures for A > 0 and A ≤ 0.
    public var sapoTemperaturePos: Double = 1
    public var sapoTemperatureNeg: Double = 1.05
    /// TRL vespo: exponent k and decay λ of the Gamma weight, for A ≥ 0 and A < 0.
    public var vespoKPos: Double = 2
    public var vespoLambdaPos: Double = 3
    public var vespoKNeg: Double = 3
    public var vespoLambdaNeg: Double = 2

    // MARK: Numerical guards
    /// Clamp of log(π/π_old) per token to [−c, c] before exp, also of the k3 log-ratio (verl: 20). nil = none.
    public var logRatioClamp: Double? = nil
    /// Upper clamp of the sequence log-ratio under sequence importance sampling (verl GSPO: 10). nil = none.
    public var sequenceLogRatioMax: Double? = nil
    /// Clamp of the k3 estimate to [−c, c] (verl `kl_penalty` low_var_kl: 10). nil = none.
    public var klClamp: Double? = nil

    // MARK: Sampling and updates
    /// Sampling temperature; logits are divided by it before log-probs and entropies (as TRL and verl do).
    public var temperature: Double = 1
    /// μ: policy updates per generated batch (TRL `num_iterations`, verl `ppo_epochs`).
    public var iterations: Int = 1
    /// Mini-batches per epoch: each of the μ epochs takes one optimizer step per mini-batch, the batch's rows cut in
    /// this many contiguous slices in order (verl `ppo_mini_batch_size` = rows / mini_batches, `shuffle` off).
    public var miniBatches: Int = 1
    /// Drop truncated completions (no EOS) from the loss (TRL `mask_truncated_completions`).
    public var maskTruncated: Bool = false
    /// DAPO dynamic sampling: drop groups whose rewards are all equal and generate more (verl `filter_groups`).
    public var dynamicSampling: Bool = false
    /// Maximum generation batches per step under dynamic sampling; 0 = unlimited (verl `max_num_gen_batches`).
    public var maxGenerationBatches: Int = 10
    /// What dynamic sampling does when the maximum is reached: fail (verl) or train on the partial batch.
    public var onExhaustion: Exhaustion = .error

    public init() {}
}

extension GRPOConfig {
    /// Level of the importance ratio.
    public enum ImportanceSampling: String, Sendable, CaseIterable {
        /// r_t = π(y_t)/π_old(y_t) per token (PPO, GRPO, DAPO).
        case token
        /// r = exp(Σ_t m_t log(π/π_old) / Σ_t m_t), one per sequence (GSPO, arXiv:2507.18071).
        case sequence
    }

    /// Per-token estimators of KL(π ‖ π_ref) from x = log π − log π_ref (verl `kl_penalty`).
    public enum KLEstimator: String, Sendable, CaseIterable {
        /// k1 = x.
        case k1
        /// k2 = x² / 2.
        case k2
        /// k3 = exp(−x) + x − 1 (low_var_kl; TRL's only estimator).
        case k3
    }

    /// Which standard deviation divides the centred reward.
    public enum RewardScaling: String, Sendable, CaseIterable {
        /// (r − mean_g) / (std_g + ε), std of the group (GRPO).
        case group
        /// (r − mean_g) / (std_batch + ε), std of the whole batch (TRL `scale_rewards="batch"`).
        case batch
        /// r − mean_g (Dr. GRPO, arXiv:2503.20783; verl `norm_adv_by_std_in_grpo=False`).
        case none
    }

    /// Group-of-one convention.
    public enum SingletonGroups: String, Sendable, CaseIterable {
        /// TRL: std of one sample is 0, so A = 0.
        case zeroAdvantage = "zero"
        /// verl `compute_grpo_outcome_advantage`: mean 0 and std 1, so A = r / (1 + ε).
        case rawReward = "raw"
    }

    /// Treatment of rewards that could not be computed (`Score.error`, JSON null).
    public enum NullRewards: String, Sendable, CaseIterable {
        /// Left out of the group's mean and std; the sample gets A = 0 and takes no part in the loss.
        case exclude
        /// Counted as 0: TRL before 2026 (`nansum` over reward functions gave a sample every function skipped 0).
        case zero
        /// Left out of the group's mean and std and given A = 0, but its tokens stay in the loss (its KL and
        /// entropy terms, and the token counts of the normalisers): current TRL `_generate_and_score_completions`
        /// (`rewards[unscorable_mask] = nan`, then `nan_to_num(advantages, nan=0.0)`).
        case zeroAdvantage = "zero_advantage"
    }

    /// verl `agg_loss` modes. TRL's `loss_type`: grpo → seqMeanTokenMean, bnpo and dapo → tokenMean,
    /// dr_grpo → seqMeanTokenSumNorm.
    public enum LossAggregation: String, Sendable, CaseIterable {
        case tokenMean = "token-mean"
        case seqMeanTokenMean = "seq-mean-token-mean"
        case seqMeanTokenSum = "seq-mean-token-sum"
        case seqMeanTokenSumNorm = "seq-mean-token-sum-norm"
        /// TRL `loss_type="luspo"`: `(per_token_loss * mask.sum(1)).mean()`, every row scaled by its length.
        case luspo
    }

    /// The two libraries' normalisers, which differ only on fully masked rows and on Dr. GRPO.
    public enum Normalizers: String, Sendable, CaseIterable {
        /// TRL `_compute_loss`: seq means over all rows with counts clamped to ≥ 1; dr_grpo divides by
        /// rows × L_max; `kl` and `entropy` are reported as token means.
        case trl
        /// verl `agg_loss`: seq means over non-empty rows (row counts + 1e-8); seq-mean-token-sum-norm divides the
        /// total by the non-empty rows and by L_max (since verl PRs #5366 / #5417; see `Aggregation`); `kl` and `entropy` are reported with the loss aggregation; under sequence
        /// importance sampling the policy part follows `compute_policy_loss_gspo` (seq-mean-token-mean, no dual
        /// clip).
        case verl
    }

    /// What dynamic sampling does when it runs out of generation batches.
    public enum Exhaustion: String, Sendable, CaseIterable {
        /// Throw, as verl's DAPO trainer does ("Generated too many").
        case error
        /// Train on the groups kept so far.
        case partial
    }
}
