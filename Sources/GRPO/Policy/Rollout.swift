/// One sampled completion of a prompt, as the policy produced it.
public struct Rollout: Sendable, Equatable {
    /// Prompt token ids.
    public var prompt: [Int]
    /// Completion token ids (EOS included when the policy emitted one).
    public var tokens: [Int]
    /// log π_old(tokens[t] | prompt, tokens[<t]) at sampling time, temperature applied: the old log-probs of
    /// the importance ratio. Same length as `tokens`.
    public var logProbs: [Double]
    /// True when generation stopped at the length limit without EOS.
    public var truncated: Bool

    public init(prompt: [Int], tokens: [Int], logProbs: [Double], truncated: Bool) {
        self.prompt = prompt
        self.tokens = tokens
        self.logProbs = logProbs
        self.truncated = truncated
    }
}

/// Per-token log-probs (and entropies) of rollouts under a policy's current parameters.
public struct TokenScores: Sendable {
    /// rows × tokens: log π(y_t | x, y_<t), temperature applied.
    public var logProbs: [[Double]]
    /// rows × tokens: entropy of π(· | x, y_<t), temperature applied; nil when not asked for.
    public var entropies: [[Double]]?

    public init(logProbs: [[Double]], entropies: [[Double]]?) {
        self.logProbs = logProbs
        self.entropies = entropies
    }
}
