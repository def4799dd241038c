/// Rewards for completions: the `Reward` protocol, samples, scores, composition and recipes.
public enum RewardKit {}
