extension GRPOConfig {
    /// Throws for values no library accepts, naming the field (in the JSON spelling) and the value.
    public func validate() throws(GRPOError) {
        func need(_ ok: Bool, _ field: String, _ value: Any, _ rule: String) throws(GRPOError) {
            if !ok { throw GRPOError("config.\(field) \(rule), got \(value)") }
        }
        try need(epsilonLow >= 0 && epsilonLow < 1, "epsilon_low", epsilonLow, "must be in [0, 1)")
        try need(epsilonHigh >= 0 && epsilonHigh.isFinite, "epsilon_high", epsilonHigh, "must be a number ≥ 0")
        if let c = dualClip {
            try need(c > 1 && c.isFinite, "dual_clip", c, "must be greater than 1 (verl asserts it)")
        }
        if let d = delta { try need(d > 0 && d.isFinite, "delta", d, "must be positive") }
        try need(beta >= 0 && beta.isFinite, "beta", beta, "must be a number ≥ 0")
        try need(entropyCoef.isFinite, "entropy_coef", entropyCoef, "must be a finite number")
        try need(
            advantageEpsilon >= 0 && advantageEpsilon.isFinite, "advantage_epsilon", advantageEpsilon,
            "must be a number ≥ 0")
        if let l = maxCompletionLength { try need(l >= 1, "max_completion_length", l, "must be at least 1") }
        if let c = logRatioClamp { try need(c > 0, "log_ratio_clamp", c, "must be positive") }
        if let c = klClamp { try need(c > 0, "kl_clamp", c, "must be positive") }
        try need(temperature > 0 && temperature.isFinite, "temperature", temperature, "must be positive")
        try need(iterations >= 1, "num_iterations", iterations, "must be at least 1")
        try need(
            maxGenerationBatches >= 0, "max_generation_batches", maxGenerationBatches, "must be ≥ 0 (0 = no limit)")
        try validateAlgorithms(need)
    }

    /// The estimator's and the named losses' parameters (verl asserts the ratios positive).
    private func validateAlgorithms(
        _ need: (Bool, String, Any, String) throws(GRPOError) -> Void
    ) throws(GRPOError) {
        try need(gamma >= 0 && gamma <= 1, "gamma", gamma, "must be in [0, 1]")
        try need(lam >= 0 && lam <= 1, "lam", lam, "must be in [0, 1]")
        try need(klInReward >= 0 && klInReward.isFinite, "kl_in_reward", klInReward, "must be a number ≥ 0")
        try need(klTarget > 0 && klTarget.isFinite, "kl_target", klTarget, "must be positive")
        try need(klHorizon > 0, "kl_horizon", klHorizon, "must be positive (verl asserts it)")
        try need(miniBatches >= 1, "mini_batches", miniBatches, "must be at least 1")
        try need(valueClip > 0 && valueClip.isFinite, "value_clip", valueClip, "must be positive")
        try need(klCovRatio > 0 && klCovRatio <= 1, "kl_cov_ratio", klCovRatio, "must be in (0, 1]")
        try need(ppoKLCoef.isFinite, "ppo_kl_coef", ppoKLCoef, "must be a finite number")
        try need(clipCovRatio > 0 && clipCovRatio <= 1, "clip_cov_ratio", clipCovRatio, "must be in (0, 1]")
        try need(clipCovLB < clipCovUB, "clip_cov_lb", clipCovLB, "must be below clip_cov_ub \(clipCovUB)")
        for (name, t) in [("sapo_temperature_pos", sapoTemperaturePos), ("sapo_temperature_neg", sapoTemperatureNeg)] {
            try need(t > 0 && t.isFinite, name, t, "must be positive")
        }
        for (name, v) in [
            ("vespo_k_pos", vespoKPos), ("vespo_lambda_pos", vespoLambdaPos), ("vespo_k_neg", vespoKNeg),
            ("vespo_lambda_neg", vespoLambdaNeg),
        ] {
            try need(v >= 0 && v.isFinite, name, v, "must be a number ≥ 0")
        }
        if let w = rewardWeights {
            for (i, x) in w.enumerated() where !x.isFinite {
                throw GRPOError("config.reward_weights[\(i)] must be finite, got \(x)")
            }
        }
        if objective == .trlCISPO {
            try need(
                epsilonHigh > 0, "epsilon_high", epsilonHigh, "is TRL cispo's cap on the ratio and must be positive")
        }
        if [.cispo, .klCov, .clipCov].contains(objective) {
            try need(
                importanceSampling == .token, "importance_sampling", importanceSampling.rawValue,
                "must be token for policy_loss \(objective.rawValue) (verl computes it per token)")
        }
        if multiObjectiveAggregation == .normalizeThenSum {
            try need(
                advantageEstimator == .grpo, "advantage_estimator", advantageEstimator.rawValue,
                "must be grpo with multi_objective_aggregation normalize_then_sum (TRL's)")
        }
    }
}
