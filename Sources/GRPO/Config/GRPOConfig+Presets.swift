extension GRPOConfig {
    /// TRL's `GRPOTrainer` (trl/trainer/grpo_trainer.py, recent `main`) with `GRPOConfig` defaults.
    ///
    /// - `_generate_and_score_completions`: rewards are `nansum` over reward functions (a function returning
    ///   None is left out; a sample every function skipped scores 0); `mean(dim=1)` and `std(dim=1)` per group —
    ///   `torch.std` is unbiased (Bessel, n − 1); with one generation per prompt std is set to 0, so A = 0;
    ///   `scale_rewards="batch"` keeps the group mean and uses `rewards.std()` of the batch;
    ///   `advantages / (std_rewards + 1e-4)`.
    /// - `_compute_loss`: `coef_1 = exp(log_ratio)` unclamped; `coef_2 = clamp(coef_1, 1 − ε_low, 1 + ε_high)`;
    ///   `coef_1 = clamp(coef_1, max=delta)` if delta; `−min(coef_1·A, coef_2·A)`; k3 KL
    ///   `exp(ref − logp) − (ref − logp) − 1` unclamped, added as β·KL per token before aggregation; loss types
    ///   grpo / bnpo / dr_grpo / dapo (dapo ≡ bnpo on one batch: `num_items_in_batch` is its token count);
    ///   `kl`, `entropy` and `clip_ratio/{low,high,region}` logged as masked token means (row means for
    ///   sequence-level ratios).
    /// - grpo_config.py defaults: epsilon 0.2, epsilon_high = epsilon, beta 0.0, loss_type "dapo",
    ///   max_completion_length 256, temperature 1.0, num_iterations 1, importance_sampling_level "token".
    public static var trl: GRPOConfig {
        var c = GRPOConfig()
        c.epsilonLow = 0.2
        c.epsilonHigh = 0.2
        c.dualClip = nil
        c.delta = nil
        c.beta = 0
        c.klEstimator = .k3
        c.entropyCoef = 0
        c.scaleRewards = .group
        c.advantageEpsilon = 1e-4
        c.singletonGroups = .zeroAdvantage
        c.nullRewards = .zero
        c.lossAggregation = .tokenMean
        c.normalizers = .trl
        c.maxCompletionLength = 256
        c.logRatioClamp = nil
        c.sequenceLogRatioMax = nil
        c.klClamp = nil
        c.dynamicSampling = false
        return c
    }

    /// verl (verl/trainer/ppo/core_algos.py, recent `main`) with the actor defaults of ppo_trainer.yaml.
    ///
    /// - `compute_grpo_outcome_advantage`: per group `torch.mean` and `torch.std` (unbiased, n − 1); a group of
    ///   one gets mean 0 and std 1; `(score − mean) / (std + epsilon)` with epsilon 1e-6; without
    ///   `norm_adv_by_std_in_grpo` only the mean is removed. (verl has no batch-std scaling.)
    /// - `compute_policy_loss_vanilla`: `negative_approx_kl = clamp(log_prob − old_log_prob, −20, 20)`;
    ///   `max(−A·r, −A·clip(r))`; dual clip `min(−A·clip_ratio_c, ·)` where A < 0, clip_ratio_c = 3.0;
    ///   `pg_clipfrac` = fraction of tokens where the clipped branch is larger (= our `region`),
    ///   `pg_clipfrac_lower` = dual-clip fraction.
    /// - `compute_policy_loss_gspo`: sequence log-ratio clamped at max 10, no dual clip, policy part aggregated
    ///   seq-mean-token-mean whatever `loss_agg_mode`; clip fraction over the ratio broadcast to tokens.
    /// - `kl_penalty`: k1 = logp − ref, k2 = ½(logp − ref)², low_var_kl: `clamp(ref − logp, −20, 20)`, then
    ///   `exp(kl) − kl − 1` clamped to [−10, 10]; kl_loss_type defaults to low_var_kl (k3).
    /// - `agg_loss`: token-mean = Σ masked / #tokens; seq-mean-token-mean = Σ_rows (Σ/(n + 1e-8)) / #non-empty rows;
    ///   seq-mean-token-sum = Σ_rows Σ / #non-empty rows; seq-mean-token-sum-norm = Σ / loss_scale_factor
    ///   (default: the mask's column count). The actor adds `kl_loss_coef · agg(kl)` and subtracts
    ///   `entropy_coeff · agg(entropy)`, and logs `actor/kl_loss` and `actor/entropy` aggregated the same way.
    /// - Defaults: clip_ratio 0.2 (low = high), clip_ratio_c 3.0, loss_agg_mode token-mean, entropy_coeff 0,
    ///   use_kl_loss false (β = 0), ppo_epochs 1.
    public static var verl: GRPOConfig {
        var c = GRPOConfig()
        c.epsilonLow = 0.2
        c.epsilonHigh = 0.2
        c.dualClip = 3.0
        c.delta = nil
        c.beta = 0
        c.klEstimator = .k3
        c.entropyCoef = 0
        c.scaleRewards = .group
        c.advantageEpsilon = 1e-6
        c.singletonGroups = .rawReward
        c.nullRewards = .exclude
        c.lossAggregation = .tokenMean
        c.normalizers = .verl
        c.maxCompletionLength = nil
        c.logRatioClamp = 20
        c.sequenceLogRatioMax = 10
        c.klClamp = 10
        c.dynamicSampling = false
        return c
    }

    /// DAPO (arXiv:2503.14476; verl recipe/dapo): clip-higher 0.2 / 0.28, token-mean, no KL, dynamic sampling.
    /// verl's numerical guards; rewards of unscorable samples left out.
    public static var dapo: GRPOConfig {
        var c = GRPOConfig.verl
        c.epsilonLow = 0.2
        c.epsilonHigh = 0.28
        c.dualClip = 10
        c.dynamicSampling = true
        c.maxGenerationBatches = 10
        return c
    }

    /// A preset by name: "trl", "verl", "dapo", or "default" (the struct's own defaults).
    public static func preset(named name: String) -> GRPOConfig? {
        switch name {
        case "trl": return .trl
        case "verl": return .verl
        case "dapo": return .dapo
        case "default": return GRPOConfig()
        default: return nil
        }
    }

    public static let presetNames = ["default", "trl", "verl", "dapo"]
}
