/// What GRPO needs from a model. The objective depends on the model only through per-token log-probs and
/// entropies, so no autodiff crosses this seam: `PolicyLoss` returns d loss / d logp (and d loss / d H) and the
/// policy backpropagates those seeds through its own network.
///
/// A policy owns its random state (so that a snapshot resumes sampling exactly) and its optimizer.
public protocol Policy {
    /// Everything needed to continue exactly: parameters, optimizer state, RNG state.
    associatedtype Snapshot: Sendable

    /// `count` completions of `prompt` (the group), each at most `maxTokens` long, sampled at `temperature`,
    /// with their sampling log-probs.
    mutating func generate(prompt: [Int], count: Int, maxTokens: Int, temperature: Double) throws -> [Rollout]

    /// log π(y_t | x, y_<t) of every completion token of `rollouts` at the current parameters (and the
    /// entropies of the next-token distributions when `entropies`), temperature applied.
    func score(_ rollouts: [Rollout], temperature: Double, entropies: Bool) throws -> TokenScores

    /// One optimizer step on loss = Σ gradLogProbs·logp + Σ gradEntropies·H: backpropagates the seeds
    /// (shaped like `score`'s output, at the current parameters) and updates the parameters.
    mutating func step(
        _ rollouts: [Rollout], temperature: Double, gradLogProbs: [[Double]], gradEntropies: [[Double]]?
    ) throws

    func snapshot() -> Snapshot
    mutating func restore(_ snapshot: Snapshot)
}
