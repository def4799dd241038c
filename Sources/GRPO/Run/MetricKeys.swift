/// The stable keys of `metrics.jsonl`, one line per training step (documented in the README). Values are numbers;
/// a key is always present, so tools can rely on the columns.
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

    /// Every key, in the order each line is written.
    public static let all = [
        step, rewardMean, rewardStd, accuracy, policyLoss, kl, entropy, clipLow, clipHigh, groupsFiltered,
        responseLength, tokensPerSecond, learningRate, gradNorm, timeGenerate, timeScore, timeUpdate,
    ]
}
