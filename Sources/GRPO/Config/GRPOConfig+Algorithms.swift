extension GRPOConfig {
    /// The advantage estimators of verl `core_algos.py` (verl-project/verl@1dda039b), by verl's names.
    ///
    /// Every estimator reads the token rewards verl's reward manager builds: the sequence reward on the last token
    /// whose mask is 1, minus `kl_in_reward`·KL(old ‖ ref) per token when that is on (`TokenRewards`).
    public enum AdvantageEstimator: String, Sendable, CaseIterable {
        /// `compute_grpo_outcome_advantage` (or TRL's, by the normalisers): one advantage per sequence.
        case grpo
        /// `compute_rloo_outcome_advantage`: leave-one-out baseline, one advantage per sequence.
        case rloo
        /// `compute_reinforce_plus_plus_outcome_advantage`: discounted return per token, whitened over the batch.
        case reinforcePlusPlus = "reinforce_plus_plus"
        /// `compute_reinforce_plus_plus_baseline_outcome_advantage`: score − group mean, whitened per token.
        case reinforcePlusPlusBaseline = "reinforce_plus_plus_baseline"
        /// `compute_gae_advantage_return`: GAE(γ, λ) on the critic's rollout-time values, whitened.
        case gae

        /// Whether the estimator's advantages differ between the tokens of one sequence (returned as [B][T]).
        public var isTokenLevel: Bool {
            switch self {
            case .grpo, .rloo: return false
            case .reinforcePlusPlus, .reinforcePlusPlusBaseline, .gae: return true
            }
        }
    }

    /// The per-token policy-gradient term. verl picks it by `actor.policy_loss.loss_mode`, TRL by `loss_type`; TRL's
    /// and verl's `cispo` are different formulas under one name, so both are here (see `PolicyObjective+Terms`).
    public enum PolicyObjective: String, Sendable, CaseIterable {
        /// PPO's clipped surrogate (verl `vanilla`, with `importance_sampling` sequence verl `gspo`; TRL grpo, bnpo,
        /// dr_grpo, dapo, luspo).
        case clip
        /// verl `compute_policy_loss_cispo`: −sg(clip(r, 1 − ε_low, 1 + ε_high))·A·log π.
        case cispo
        /// TRL `loss_type="cispo"`: −sg(min(r, ε_high))·A·log π, ε_high an absolute cap (ScaleRL ε_max).
        case trlCISPO = "trl_cispo"
        /// TRL `loss_type="sapo"`: −σ(τ(r − 1))·4/τ·A with τ by the sign of A.
        case sapo
        /// TRL `loss_type="vespo"`: −sg(φ(w))·A·log π, φ(w) = e^λ·w^k·e^(−λw) of the sequence ratio w.
        case vespo
        /// verl `compute_policy_loss_kl_cov`: −A·r, plus `ppo_kl_coef`·|log r| on the tokens of largest covariance.
        case klCov = "kl_cov"
        /// verl `compute_policy_loss_clip_cov`: the clipped surrogate with the gradient cut on a fraction of tokens
        /// of high covariance.
        case clipCov = "clip_cov"
    }

    /// TRL `multi_objective_aggregation` for rewards with one column per reward function.
    public enum MultiObjectiveAggregation: String, Sendable, CaseIterable {
        /// Weighted `nansum` of the columns, then the usual group advantages (`scale_rewards`).
        case sumThenNormalize = "sum_then_normalize"
        /// Each column standardised within its group, weighted `nansum`, then standardised over the batch (GDPO).
        case normalizeThenSum = "normalize_then_sum"
    }
}
