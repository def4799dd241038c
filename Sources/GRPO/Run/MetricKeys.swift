/// The stable keys of `metrics.jsonl`, one line per training step (documented in the README). Values are numbers;
/// the keys of `all` are always present, so tools can rely on those columns; `critic` and the reward-KL keys are
/// added by the runs that have them.
public enum MetricKeys {
    public static let step = "step"
    public static let rewardMean = "reward/mean"
    public static let rewardStd = "reward/std"
    /// Fraction of sampled completions whose accuracy reward is full (the recipe's `accuracy` component, else
    /// the reward itself ≥ 1).
    public static let accuracy = "accuracy"
    public static let policyLoss = "loss/policy"
    public static let kl = "kl"
    public static let entropy = "entropy"
    public static let clipLow = "clip_frac/low"
    public static let clipHigh = "clip_frac/high"
    public static let groupsFiltered = "groups/filtered"
    public static let responseLength = "response_length"
    public static let tokensPerSecond = "tokens_per_s"
    public static let learningRate = "lr"
    public static let gradNorm = "grad_norm"
    public static let timeGenerate = "time/generate"
    public static let timeScore = "time/score"
    public static let timeUpdate = "time/update"

    // Written only by runs with a critic (PPO), verl's names (`CriticMetrics`).
    public static let vfLoss = "critic/vf_loss"
    public static let vfClipFraction = "critic/vf_clipfrac"
    public static let vfExplainedVariance = "critic/vf_explained_var"
    public static let valuesMean = "critic/values/mean"
    public static let returnsMean = "critic/returns/mean"
    public static let advantagesMean = "critic/advantages/mean"
    public static let critic = [
        vfLoss, vfClipFraction, vfExplainedVariance, valuesMean, returnsMean, advantagesMean,
    ]

    // Written only when the KL penalty is in the reward (verl `apply_kl_penalty`).
    public static let rewardKLPenalty = "actor/reward_kl_penalty"
    public static let rewardKLPenaltyCoefficient = "actor/reward_kl_penalty_coeff"

    /// Every key always present, in the order each line is written.
    public static let all = [
        step, rewardMean, rewardStd, accuracy, policyLoss, kl, entropy, clipLow, clipHigh, groupsFiltered,
        responseLength, tokensPerSecond, learningRate, gradNorm, timeGenerate, timeScore, timeUpdate,
    ]
}
