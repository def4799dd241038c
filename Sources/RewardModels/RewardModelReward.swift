import Foundation
import RewardKit

/// The `reward_model` term: the score a learned reward model gives prompt + completion.
///
/// Samples are scored in batches of `batchSize` sequences (padded to the longest in the batch; padding is hidden
/// from attention, so a sample's score does not depend on its batch). The value is the raw score r, or σ(r) when
/// `sigmoid` (for a model trained with the BCE loss, an estimate of P(correct)). A sample whose sequence is longer
/// than the model reads gets `Score.failure` naming its length, never a truncated score.
public struct RewardModelReward: Reward {
    public let model: SharedRewardModel
    public let batchSize: Int
    public let sigmoid: Bool

    public init(model: SharedRewardModel, batchSize: Int = 16, sigmoid: Bool = false) {
        precondition(batchSize > 0, "RewardModelReward: batchSize must be positive")
        self.model = model
        self.batchSize = batchSize
        self.sigmoid = sigmoid
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        let (batchSize, sigmoid) = (self.batchSize, self.sigmoid)
        let prompts = batch.map(\.prompt)
        let completions = batch.map(\.completionText)
        let result: Result<[Score], any Error> = Result {
            try model.withModel { m in
                let sequences = zip(prompts, completions).map { m.encode(prompt: $0, completion: $1) }
                let fits = sequences.indices.filter { sequences[$0].count <= m.maxLength }
                let values = try m.scores(of: fits.map { sequences[$0] }, batchSize: batchSize)
                var out = sequences.map {
                    Score.failure("prompt + completion is \($0.count) tokens; the reward model reads \(m.maxLength)")
                }
                for (i, v) in zip(fits, values) { out[i] = Score(sigmoid ? 1 / (1 + Foundation.exp(-v)) : v) }
                return out
            }
        }
        switch result {
        case .success(let scores): return scores
        case .failure(let error): return batch.map { _ in .failure("reward model \(model.path): \(error)") }
        }
    }
}

extension TermRegistry {
    /// Adds the `reward_model` term: `{"term": "reward_model", "params": {"path": DIR, "batch_size": 16,
    /// "sigmoid": false}}`. The model is loaded when the recipe is built (once per folder per process).
    public mutating func registerRewardModelTerm() {
        register(
            "reward_model",
            summary:
                "a learned reward model's score (LlamaForSequenceClassification folder: path, batch_size, sigmoid)",
            hostAccess: "loads a model folder from the scoring machine's disk"
        ) { p in
            guard let path = try p.optionalString("path") else {
                throw RecipeError(
                    "\(p.path).path: missing; expected the folder of a reward model (grpo rm train --out)")
            }
            return RewardModelReward(
                model: try RewardModelStore.model(at: path),
                batchSize: try p.int("batch_size", default: 16, in: 1...4096),
                sigmoid: try p.bool("sigmoid", default: false))
        }
    }
}
