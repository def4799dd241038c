/// A critic (value model): a value per completion token, trained by seeding its own backward pass with
/// d value_loss / d v from `ValueLoss` — PPO's second model, which GAE reads (issue 20 plugs its network in here).
public protocol Critic {
    /// V(x, y_≤t) for every completion token of `rollouts`, at the current parameters.
    func values(_ rollouts: [Rollout]) throws -> [[Double]]

    /// One optimizer step with a single forward pass: computes the values keeping what the backward pass needs,
    /// asks `seeds` for d loss / d v from them, backpropagates and updates the parameters.
    mutating func update(_ rollouts: [Rollout], seeds: ([[Double]]) throws -> [[Double]]) throws
}

/// The absent critic of a GRPO step.
struct NoCritic: Critic {
    func values(_ rollouts: [Rollout]) throws -> [[Double]] { rollouts.map { $0.tokens.map { _ in 0 } } }
    mutating func update(_ rollouts: [Rollout], seeds: ([[Double]]) throws -> [[Double]]) throws {}
}
