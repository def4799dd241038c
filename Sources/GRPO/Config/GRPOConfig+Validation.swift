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
    }
}
