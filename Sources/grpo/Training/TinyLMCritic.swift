import Foundation
import GRPO
import RewardModels
import Tensor
import TinyLM

/// The built-in critic: a `ValueModel` (the policy's architecture with a value head, HF
/// `LlamaForTokenClassification` with one label) behind `GRPO.Critic`, with its own AdamW, learning-rate schedule
/// and gradient clip.
///
/// Value columns: as verl's critic reads `values[:, -response_length - 1 : -1]`, the value of completion token t is
/// the head's output at the position before it (column P − 1 + t for a prompt of P tokens): V of the state in which
/// token t is chosen, the first one read at the last prompt token (the columns of the policy's log-probs, over
/// the T positions instead of T − 1).
struct TinyLMCritic: Critic {
    let model: ValueModel
    let optimizer: AdamW
    var schedule: LRSchedule
    var maxGradNorm: Float

    init(model: ValueModel, schedule: LRSchedule, weightDecay: Float, maxGradNorm: Float) {
        self.model = model
        let named = model.namedParameters
        optimizer = AdamW(
            parameters: named.map(\.1), decay: named.map { !$0.0.hasSuffix("norm.weight") && !$0.0.hasSuffix("bias") },
            config: AdamW.Config(weightDecay: weightDecay))
        (self.schedule, self.maxGradNorm) = (schedule, maxGradNorm)
    }

    var parameterNames: [String] { model.namedParameters.map(\.0) }

    func values(_ rollouts: [Rollout]) throws -> [[Double]] {
        let batch = try TinyLMPolicy.batch(rollouts)
        let v = Tensor.withoutGrad { model.values(batch) }
        return TinyLMPolicy.completionColumns(v.values, rollouts, width: batch.length)
    }

    /// One forward pass with the graph kept; loss = Σ seed · V over the completion columns, backpropagated.
    mutating func update(_ rollouts: [Rollout], seeds: ([[Double]]) throws -> [[Double]]) throws {
        optimizer.zeroGrad()
        let batch = try TinyLMPolicy.batch(rollouts)
        let v = model.values(batch)
        let w = batch.length
        let grads = try seeds(TinyLMPolicy.completionColumns(v.values, rollouts, width: w))
        try TinyLMPolicy.seeded(v, nil, rollouts, width: w, grads, nil).backward()
        _ = GradClip.clipGlobalNorm(optimizer.parameters, maxNorm: maxGradNorm > 0 ? maxGradNorm : .infinity)
        optimizer.update(lr: schedule.lr(at: optimizer.step))
        optimizer.zeroGrad()
    }

    /// Writes the value model (`config.json`, `model.safetensors`) and `optimizer.safetensors` into `dir`.
    func save(to dir: URL) throws {
        try model.save(to: dir)
        try optimizer.save(names: parameterNames, to: dir.appendingPathComponent("optimizer.safetensors"))
    }

    /// Restores the optimizer state written by `save` (the weights are loaded with the model).
    func loadOptimizer(from dir: URL) throws {
        _ = try optimizer.load(names: parameterNames, from: dir.appendingPathComponent("optimizer.safetensors"))
    }
}
