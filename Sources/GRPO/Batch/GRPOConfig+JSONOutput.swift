import RewardKit

extension GRPOConfig {
    /// Every field in the JSON spelling `init(json:)` reads (no preset), so `GRPOConfig(json: c.json) == c`.
    /// For a run folder's `config.json`. The KL controller and mini-batch fields are written only when they differ
    /// from their defaults, so the settings of runs begun before they existed still match on `--resume`.
    public var json: JSONObject {
        func optional(_ d: Double?) -> JSON { d.map(JSON.double) ?? .null }
        var o = JSONObject([
            ("epsilon_low", .double(epsilonLow)), ("epsilon_high", .double(epsilonHigh)),
            ("dual_clip", optional(dualClip)), ("delta", optional(delta)),
            ("importance_sampling", .string(importanceSampling.rawValue)), ("beta", .double(beta)),
            ("kl_estimator", .string(klEstimator.rawValue)), ("entropy_coef", .double(entropyCoef)),
            ("scale_rewards", .string(scaleRewards.rawValue)), ("advantage_epsilon", .double(advantageEpsilon)),
            ("singleton_groups", .string(singletonGroups.rawValue)), ("null_rewards", .string(nullRewards.rawValue)),
            ("loss_aggregation", .string(lossAggregation.rawValue)), ("normalizers", .string(normalizers.rawValue)),
            ("max_completion_length", maxCompletionLength.map { .int(Int64($0)) } ?? .null),
            ("log_ratio_clamp", optional(logRatioClamp)), ("sequence_log_ratio_max", optional(sequenceLogRatioMax)),
            ("kl_clamp", optional(klClamp)), ("temperature", .double(temperature)),
            ("num_iterations", .int(Int64(iterations))), ("mask_truncated", .bool(maskTruncated)),
            ("dynamic_sampling", .bool(dynamicSampling)), ("max_generation_batches", .int(Int64(maxGenerationBatches))),
            ("on_exhaustion", .string(onExhaustion.rawValue)), ("policy_objective", .string(objective.rawValue)),
            ("advantage_estimator", .string(advantageEstimator.rawValue)), ("gamma", .double(gamma)),
            ("lam", .double(lam)), ("kl_in_reward", .double(klInReward)),
            ("multi_objective_aggregation", .string(multiObjectiveAggregation.rawValue)),
            ("reward_weights", rewardWeights.map { .array($0.map(JSON.double)) } ?? .null),
            ("value_clip", .double(valueClip)), ("kl_cov_ratio", .double(klCovRatio)),
            ("ppo_kl_coef", .double(ppoKLCoef)), ("clip_cov_ratio", .double(clipCovRatio)),
            ("clip_cov_lb", .double(clipCovLB)), ("clip_cov_ub", .double(clipCovUB)),
            ("sapo_temperature_pos", .double(sapoTemperaturePos)),
            ("sapo_temperature_neg", .double(sapoTemperatureNeg)),
            ("vespo_k_pos", .double(vespoKPos)), ("vespo_lambda_pos", .double(vespoLambdaPos)),
            ("vespo_k_neg", .double(vespoKNeg)), ("vespo_lambda_neg", .double(vespoLambdaNeg)),
        ])
        let defaults = GRPOConfig()
        if klControl != defaults.klControl || klTarget != defaults.klTarget || klHorizon != defaults.klHorizon {
            o["kl_ctrl"] = .string(klControl.rawValue)
            o["kl_target"] = .double(klTarget)
            o["kl_horizon"] = .int(Int64(klHorizon))
        }
        if miniBatches != defaults.miniBatches { o["mini_batches"] = .int(Int64(miniBatches)) }
        return o
    }
}
