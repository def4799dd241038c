/// Scores completions under a model: per-token log-probs (and entropies). A `Policy` is one; so is a frozen
/// reference, which needs nothing more.
public protocol TokenScorer {
    /// log π(y_t | x, y_<t) of every completion token of `rollouts` at the current parameters (and the
    /// entropies of the next-token distributions when `entropies`), temperature applied.
    func score(_ rollouts: [Rollout], temperature: Double, entropies: Bool) throws -> TokenScores
}

/// What GRPO needs from a model. The objective depends on the model only through per-token log-probs and
/// entropies, so no autodiff crosses this seam: `PolicyLoss` returns d loss / d logp (and d loss / d H) and the
/// policy backpropagates those seeds through its own network.
///
/// A policy owns its random state (so that a snapshot resumes sampling exactly) and its optimizer.
public protocol Policy: TokenScorer {
    /// Everything needed to continue exactly: parameters, optimizer state, RNG state.
    associatedtype Snapshot: Sendable

    /// `count` completions of `prompt` (the group), each at most `maxTokens` long, sampled at `temperature`,
    /// with their sampling log-probs.
    mutating func generate(prompt: [Int], count: Int, maxTokens: Int, temperature: Double) throws -> [Rollout]

    /// `count` completions of every prompt, in one batched generation where the model allows; result[i] is
    /// prompt i's group. The default generates the groups one after another.
    mutating func generate(prompts: [[Int]], count: Int, maxTokens: Int, temperature: Double) throws -> [[Rollout]]

    /// One optimizer step with a single forward pass: scores `rollouts` at the current parameters keeping what the
    /// backward pass needs, asks `seeds` for d loss / d logp (and d loss / d H) from those scores, backpropagates
    /// loss = Σ gradLogProbs·logp + Σ gradEntropies·H and updates the parameters.
    mutating func update(
        _ rollouts: [Rollout], temperature: Double, entropies: Bool,
        seeds: (TokenScores) throws -> (gradLogProbs: [[Double]], gradEntropies: [[Double]]?)
    ) throws

    /// The learning rate of the next step and the gradient norm (before clipping) of the last, for the metrics;
    /// 0 where a policy has no such notion.
    var optimizerMetrics: (learningRate: Double, gradNorm: Double) { get }

    func snapshot() -> Snapshot
    mutating func restore(_ snapshot: Snapshot)
}

extension Policy {
    public mutating func generate(
        prompts: [[Int]], count: Int, maxTokens: Int, temperature: Double
    ) throws -> [[Rollout]] {
        try prompts.map { try generate(prompt: $0, count: count, maxTokens: maxTokens, temperature: temperature) }
    }

    /// One optimizer step with given seeds (shaped like `score`'s output, at the current parameters).
    public mutating func step(
        _ rollouts: [Rollout], temperature: Double, gradLogProbs: [[Double]], gradEntropies: [[Double]]?
    ) throws {
        try update(rollouts, temperature: temperature, entropies: gradEntropies != nil) { _ in
            (gradLogProbs, gradEntropies)
        }
    }

    public var optimizerMetrics: (learningRate: Double, gradNorm: Double) { (0, 0) }
}
