import RewardKit

extension GRPOConfig {
    /// The JSON spelling of every field `init(json:)` reads.
    public static let jsonKeys = [
        "preset", "epsilon", "epsilon_low", "epsilon_high", "dual_clip", "delta", "beta", "kl_estimator",
        "scale_rewards", "advantage_epsilon", "singleton_groups", "null_rewards", "loss_aggregation", "loss_type",
        "normalizers", "max_completion_length", "importance_sampling", "entropy_coef", "temperature",
        "log_ratio_clamp", "sequence_log_ratio_max", "kl_clamp", "num_iterations", "mask_truncated",
        "dynamic_sampling", "max_generation_batches", "on_exhaustion", "policy_loss", "policy_objective",
        "advantage_estimator", "gamma", "lam", "kl_in_reward", "multi_objective_aggregation", "reward_weights",
        "value_clip", "kl_cov_ratio", "ppo_kl_coef", "clip_cov_ratio", "clip_cov_lb", "clip_cov_ub",
        "sapo_temperature_pos", "sapo_temperature_neg", "vespo_k_pos", "vespo_lambda_pos", "vespo_k_neg",
        "vespo_lambda_neg", "kl_ctrl", "kl_target", "kl_horizon", "mini_batches",
    ]

    /// TRL `loss_type`: the aggregation and the objective each sets.
    static let lossTypes: [String: (LossAggregation, PolicyObjective)] = [
        "grpo": (.seqMeanTokenMean, .clip), "bnpo": (.tokenMean, .clip), "dr_grpo": (.seqMeanTokenSumNorm, .clip),
        "dapo": (.tokenMean, .clip), "cispo": (.tokenMean, .trlCISPO), "sapo": (.seqMeanTokenMean, .sapo),
        "luspo": (.luspo, .clip), "vespo": (.tokenMean, .vespo),
    ]

    /// verl `policy_loss.loss_mode`: the objective and the importance-sampling level each sets.
    static let lossModes: [String: (PolicyObjective, ImportanceSampling)] = [
        "vanilla": (.clip, .token), "gspo": (.clip, .sequence), "cispo": (.cispo, .token),
        "kl_cov": (.klCov, .token), "clip_cov": (.clipCov, .token),
    ]

    /// A config from a JSON object: `preset` ("trl", "verl", "dapo", "default"; default "default") first, then
    /// each field given overrides it. TRL spellings are accepted: `epsilon` (sets ε_low, and ε_high unless
    /// given), `loss_type` (grpo, bnpo, dr_grpo, dapo, cispo, sapo, luspo, vespo: aggregation and objective),
    /// `scale_rewards` true/false; verl's `low_var_kl` and `policy_loss` (its `loss_mode`: vanilla, gspo, cispo,
    /// kl_cov, clip_cov, setting the objective and the importance-sampling level).
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
        if let t = try r.string("loss_type") {
            guard let (aggregation, objective) = Self.lossTypes[t] else {
                throw GRPOError(
                    "\(r.name("loss_type")) must be one of \(Self.lossTypes.keys.sorted().joined(separator: ", ")), "
                        + "got \"\(t)\"")
            }
            (lossAggregation, self.objective) = (aggregation, objective)
        }
        let aggregationAliases = Self.lossTypes.filter {
            $0.value.1 == .clip && LossAggregation(rawValue: $0.key) == nil
        }
        .mapValues(\.0)
        if let l = try r.choice("loss_aggregation", LossAggregation.self, aliases: aggregationAliases) {
            lossAggregation = l
        }
        if let m = try r.string("policy_loss") {
            guard let (objective, level) = Self.lossModes[m] else {
                throw GRPOError(
                    "\(r.name("policy_loss")) must be one of \(Self.lossModes.keys.sorted().joined(separator: ", ")), "
                        + "got \"\(m)\"")
            }
            (self.objective, importanceSampling) = (objective, level)
        }
        if let o = try r.choice("policy_objective", PolicyObjective.self) { objective = o }
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
        try readAlgorithms(r)
        try validate()
    }
}

extension GRPOConfig {
    /// The estimator, KL-in-reward, multi-objective, value-loss and named-loss parameters.
    mutating func readAlgorithms(_ r: JSONReader) throws(GRPOError) {
        if let e = try r.choice("advantage_estimator", AdvantageEstimator.self) { advantageEstimator = e }
        if let g = try r.double("gamma") { gamma = g }
        if let l = try r.double("lam") { lam = l }
        if let k = try r.double("kl_in_reward") { klInReward = k }
        if let k = try r.choice("kl_ctrl", KLControl.self) { klControl = k }
        if let t = try r.double("kl_target") { klTarget = t }
        if let h = try r.int("kl_horizon") { klHorizon = h }
        if let m = try r.int("mini_batches") { miniBatches = m }
        if let m = try r.choice("multi_objective_aggregation", MultiObjectiveAggregation.self) {
            multiObjectiveAggregation = m
        }
        if r.object["reward_weights"] != nil { rewardWeights = try r.numbers("reward_weights") }
        if let c = try r.double("value_clip") { valueClip = c }
        let doubles: [(String, WritableKeyPath<GRPOConfig, Double>)] = [
            ("kl_cov_ratio", \.klCovRatio), ("ppo_kl_coef", \.ppoKLCoef), ("clip_cov_ratio", \.clipCovRatio),
            ("clip_cov_lb", \.clipCovLB), ("clip_cov_ub", \.clipCovUB), ("sapo_temperature_pos", \.sapoTemperaturePos),
            ("sapo_temperature_neg", \.sapoTemperatureNeg), ("vespo_k_pos", \.vespoKPos),
            ("vespo_lambda_pos", \.vespoLambdaPos), ("vespo_k_neg", \.vespoKNeg),
            ("vespo_lambda_neg", \.vespoLambdaNeg),
        ]
        for (key, path) in doubles { if let d = try r.double(key) { self[keyPath: path] = d } }
    }
}
