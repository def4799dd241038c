extension GRPOConfig {
    /// TRL's `GRPOTrainer` as of huggingface/trl@f2cd5771 (2026-07-24; trl/trainer/grpo_trainer.py,
    /// grpo_config.py) with `GRPOConfig` defaults.
    ///
    /// - `_generate_and_score_completions`: rewards are the weighted `nansum` over reward functions (a function
    ///   returning None is left out); `mean(dim=1)` and `nanstd(dim=1)` per group — unbiased (Bessel, n − 1), NaN
    ///   for fewer than two scorable samples, so such a group's advantages are 0; `scale_rewards="batch"` keeps the
    ///   group mean and uses the batch's `nanstd`; `advantages / (std_rewards + 1e-4)`;
    ///   `multi_objective_aggregation="normalize_then_sum"` standardises each function per group first.
    ///   **Changed in 2026:** a completion for which every reward function returned None is marked NaN, left out of
    ///   its group's mean and std, and given advantage 0 (`null_rewards: zero_advantage`); it stays in the loss
    ///   (its tokens count in the normalisers, its KL and entropy terms apply). Before, `nansum` counted it as
    ///   reward 0 (`null_rewards: zero`).
    /// - `_compute_loss`: `coef_1 = exp(log_ratio)` unclamped; `coef_2 = clamp(coef_1, 1 − ε_low, 1 + ε_high)`;
    ///   `coef_1 = clamp(coef_1, max=delta)` if delta; `−min(coef_1·A, coef_2·A)`; k3 KL
    ///   `exp(ref − logp) − (ref − logp) − 1` unclamped, added as β·KL per token before aggregation; loss types
    ///   grpo / bnpo / dr_grpo / dapo (dapo ≡ bnpo on one batch: `num_items_in_batch` is its token count), and
    ///   **new** cispo (`−sg(min(coef_1, ε_high))·A·logp`, token-mean), sapo (soft gate, aggregated as grpo),
    ///   luspo (`(per_token_loss · mask.sum(1)).mean()`) and vespo (`−sg(φ(w))·A·logp`, token-mean);
    ///   **new** `entropy_coef`: loss −= c·(masked token mean of the entropy) whatever the loss type;
    ///   `kl`, `entropy` and `clip_ratio/{low,high,region}` logged as masked token means (row means for
    ///   sequence-level ratios), `cispo_clip_ratio` and `vespo/phi_seq_mean` for those loss types.
    /// - grpo_config.py defaults: epsilon 0.2, epsilon_high = epsilon, **beta 0.0** (was 0.04), **loss_type "dapo"**
    ///   (was "grpo", then "bnpo"), max_completion_length 256, temperature 1.0, num_iterations 1,
    ///   importance_sampling_level "token", sapo_temperature_pos/neg 1.0/1.05, vespo_k_pos 2, vespo_lambda_pos 3,
    ///   vespo_k_neg 3, vespo_lambda_neg 2. TRL now refuses `num_generations < 2` in training (a group of one
    ///   still gets A = 0 in evaluation).
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
        c.nullRewards = .zeroAdvantage
        c.lossAggregation = .tokenMean
        c.objective = .clip
        c.advantageEstimator = .grpo
        c.normalizers = .trl
        c.maxCompletionLength = 256
        c.logRatioClamp = nil
        c.sequenceLogRatioMax = nil
        c.klClamp = nil
        c.dynamicSampling = false
        return c
    }

    /// verl as of verl-project/verl@1dda039b (2026-08-22; verl/trainer/ppo/core_algos.py, ray_trainer.py,
    /// _generated_ppo_trainer.yaml) with the actor's and the algorithm's defaults.
    ///
    /// - `compute_grpo_outcome_advantage`: per group `torch.mean` and `torch.std` (unbiased, n − 1); a group of
    ///   one gets mean 0 and std 1; `(score − mean) / (std + epsilon)` with epsilon 1e-6; without
    ///   `norm_adv_by_std_in_grpo` only the mean is removed. (verl has no batch-std scaling.) The other estimators
    ///   (`rloo`, `reinforce_plus_plus` — since PR #7300 the return is carried across masked spans —,
    ///   `reinforce_plus_plus_baseline`, `gae`) are in `Sources/GRPO/Advantages`; gamma = lam = 1.
    /// - `compute_policy_loss_vanilla`: `negative_approx_kl = clamp(log_prob − old_log_prob, −20, 20)`;
    ///   `max(−A·r, −A·clip(r))`; dual clip `min(−A·clip_ratio_c, ·)` where A < 0, clip_ratio_c = 3.0;
    ///   `pg_clipfrac` = fraction of tokens where the clipped branch is larger (= our `region`),
    ///   `pg_clipfrac_lower` = dual-clip fraction. `gspo`, `cispo`, `kl_cov`, `clip_cov` by `policy_loss`.
    /// - `compute_policy_loss_gspo`: sequence log-ratio clamped at max 10, no dual clip, policy part aggregated
    ///   seq-mean-token-mean whatever `loss_agg_mode`; clip fraction over the ratio broadcast to tokens.
    /// - `kl_penalty`: k1 = logp − ref, k2 = ½(logp − ref)², low_var_kl: `clamp(ref − logp, −20, 20)`, then
    ///   `exp(kl) − kl − 1` clamped to [−10, 10]; kl_loss_type defaults to low_var_kl (k3).
    /// - `agg_loss`: token-mean = Σ masked / #tokens; seq-mean-token-mean = Σ_rows (Σ/(n + 1e-8)) / #non-empty rows;
    ///   seq-mean-token-sum = Σ_rows Σ / #non-empty rows; **seq-mean-token-sum-norm (Dr. GRPO) = Σ_rows Σ /
    ///   #non-empty rows / loss_scale_factor** (default: the mask's column count) since PRs #5366 and #5417
    ///   (February 2026) — before, the total was divided by the constant only, B times larger. The actor adds
    ///   `kl_loss_coef · agg(kl)` and subtracts `entropy_coeff · agg(entropy)`, and logs `actor/kl_loss` and
    ///   `actor/entropy` aggregated the same way.
    /// - `compute_value_loss`: `0.5 · agg(max((v − R)², (clip(v, old ± cliprange_value) − R)²))` over the global
    ///   mini-batch since PR #6957 (before, per micro-batch); cliprange_value 0.5.
    /// - Defaults: clip_ratio 0.2 (low = high), clip_ratio_c 3.0, loss_agg_mode token-mean, entropy_coeff 0,
    ///   use_kl_loss false (β = 0), ppo_epochs 1, use_kl_in_reward false, policy_loss vanilla with
    ///   kl_cov_ratio / clip_cov_ratio 0.0002, ppo_kl_coef 0.1, clip_cov_lb / ub 1 / 5.
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
        c.objective = .clip
        c.advantageEstimator = .grpo
        c.gamma = 1
        c.lam = 1
        c.klInReward = 0
        c.valueClip = 0.5
        c.klCovRatio = 0.0002
        c.ppoKLCoef = 0.1
        c.clipCovRatio = 0.0002
        c.clipCovLB = 1
        c.clipCovUB = 5
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
