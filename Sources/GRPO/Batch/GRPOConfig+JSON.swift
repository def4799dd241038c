import RewardKit

extension GRPOConfig {
    /// The JSON spelling of every field `init(json:)` reads.
    public static let jsonKeys = [
        "preset", "epsilon", "epsilon_low", "epsilon_high", "dual_clip", "delta", "beta", "kl_estimator",
        "scale_rewards", "advantage_epsilon", "singleton_groups", "null_rewards", "loss_aggregation", "loss_type",
        "normalizers", "max_completion_length", "importance_sampling", "entropy_coef", "temperature",
        "log_ratio_clamp", "sequence_log_ratio_max", "kl_clamp", "num_iterations", "mask_truncated",
        "dynamic_sampling", "max_generation_batches", "on_exhaustion",
    ]

    /// A config from a JSON object: `preset` ("trl", "verl", "dapo", "default"; default "default") first, then
    /// each field given overrides it. TRL spellings are accepted: `epsilon` (sets ε_low, and ε_high unless
    /// given), `loss_type` (grpo, bnpo, dr_grpo, dapo), `scale_rewards` true/false; verl's `low_var_kl`.
    /// A `dual_clip`, `delta` or `max_completion_length` of null switches it off.
    public init(json object: JSONObject, path: String = "config") throws(GRPOError) {
        let r = JSONReader(object: object, path: path)
        try r.rejectUnknownKeys(Self.jsonKeys)
        let presetName = try r.string("preset") ?? "default"
        guard let preset = GRPOConfig.preset(named: presetName) else {
            throw GRPOError(
                "\(r.name("preset")) must be one of \(Self.presetNames.joined(separator: ", ")), got \"\(presetName)\"")
        }
        self = preset
        if let e = try r.double("epsilon") {
            epsilonLow = e
            epsilonHigh = e
        }
        if let e = try r.double("epsilon_low") { epsilonLow = e }
        if let e = try r.double("epsilon_high") { epsilonHigh = e }
        if object["dual_clip"] != nil { dualClip = try r.double("dual_clip") }
        if object["delta"] != nil { delta = try r.double("delta") }
        if let b = try r.double("beta") { beta = b }
        if let k = try r.choice("kl_estimator", KLEstimator.self, aliases: ["low_var_kl": .k3, "kl": .k1, "mse": .k2]) {
            klEstimator = k
        }
        if let b = r.value("scale_rewards")?.boolValue {
            scaleRewards = b ? .group : .none  // TRL before 0.22: scale_rewards: bool
        } else if let s = try r.choice("scale_rewards", RewardScaling.self) {
            scaleRewards = s
        }
        if let e = try r.double("advantage_epsilon") { advantageEpsilon = e }
        if let s = try r.choice("singleton_groups", SingletonGroups.self) { singletonGroups = s }
        if let n = try r.choice("null_rewards", NullRewards.self) { nullRewards = n }
        let lossTypes: [String: LossAggregation] = [
            "grpo": .seqMeanTokenMean, "bnpo": .tokenMean, "dr_grpo": .seqMeanTokenSumNorm, "dapo": .tokenMean,
        ]
        if let l = try r.choice("loss_type", LossAggregation.self, aliases: lossTypes) { lossAggregation = l }
        if let l = try r.choice("loss_aggregation", LossAggregation.self, aliases: lossTypes) { lossAggregation = l }
        if let n = try r.choice("normalizers", Normalizers.self) { normalizers = n }
        if object["max_completion_length"] != nil { maxCompletionLength = try r.int("max_completion_length") }
        if let i = try r.choice("importance_sampling", ImportanceSampling.self) { importanceSampling = i }
        if let c = try r.double("entropy_coef") { entropyCoef = c }
        if let t = try r.double("temperature") { temperature = t }
        if object["log_ratio_clamp"] != nil { logRatioClamp = try r.double("log_ratio_clamp") }
        if object["sequence_log_ratio_max"] != nil { sequenceLogRatioMax = try r.double("sequence_log_ratio_max") }
        if object["kl_clamp"] != nil { klClamp = try r.double("kl_clamp") }
        if let n = try r.int("num_iterations") { iterations = n }
        if let b = try r.bool("mask_truncated") { maskTruncated = b }
        if let b = try r.bool("dynamic_sampling") { dynamicSampling = b }
        if let n = try r.int("max_generation_batches") { maxGenerationBatches = n }
        if let e = try r.choice("on_exhaustion", Exhaustion.self) { onExhaustion = e }
        try validate()
    }
}
