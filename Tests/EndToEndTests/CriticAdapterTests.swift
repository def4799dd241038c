import Foundation
import GRPO
import RewardModels
import Tensor
import Testing
import TinyLM

@testable import grpo

/// The value model ↔ GRPO.Critic adapter on a tiny random model.
@Suite struct CriticAdapterTests {
    static func critic(lr: Float = 1e-2) throws -> TinyLMCritic {
        let config = LlamaConfig(
            vocab_size: ByteTokenizer().vocabularySize, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1,
            num_attention_heads: 2,
            max_position_embeddings: 64, tie_word_embeddings: true, eos_token_id: 11, initializer_range: 0.5)
        let model = try ValueModel(
            languageModel: try LlamaModel(config: config, seed: 3), tokenizer: ByteTokenizer(), seed: 5)
        return TinyLMCritic(
            model: model, schedule: try LRSchedule(peak: lr, totalSteps: 1000), weightDecay: 0, maxGradNorm: 1)
    }

    static let rollouts = [
        Rollout(prompt: [1, 2, 3], tokens: [4, 5], logProbs: [0, 0], truncated: false),
        Rollout(prompt: [6], tokens: [7, 8, 9, 11], logProbs: [0, 0, 0, 0], truncated: false),
    ]

    /// One value per completion token, read at the position before it (verl's `values[:, -L-1:-1]`): the first
    /// token's value is the head at the last prompt token, which the completion cannot change.
    @Test func valuesAreReadAtThePositionBeforeEachToken() throws {
        let c = try Self.critic()
        let v = try c.values(Self.rollouts)
        #expect(v.map(\.count) == [2, 4])
        let alone = try TokenBatch([[1, 2, 3]])
        let head = Tensor.withoutGrad { c.model.values(alone) }.values
        #expect(abs(v[0][0] - Double(head[2])) < 1e-5)
        let other = try c.values([Rollout(prompt: [1, 2, 3], tokens: [9, 9], logProbs: [0, 0], truncated: false)])
        #expect(abs(other[0][0] - v[0][0]) < 1e-5 && abs(other[0][1] - v[0][1]) > 0)
    }

    /// Trained through the Critic seam on the clipped value loss against returns of 0.6 everywhere, the critic
    /// learns that constant value.
    @Test func theCriticLearnsAConstantReturnThroughTheValueLoss() throws {
        var c = try Self.critic(lr: 2e-2)
        let mask = Self.rollouts.map { $0.tokens.map { _ in 1.0 } }
        let returns = mask.map { $0.map { _ in 0.6 } }
        let config = GRPOConfig.verl.with { $0.valueClip = 0.2 }
        for _ in 0..<150 {
            let old = try c.values(Self.rollouts)
            try c.update(Self.rollouts) { values in
                try ValueLoss(values: values, oldValues: old, returns: returns, mask: mask, config: config).gradValues
            }
        }
        let v = try c.values(Self.rollouts).flatMap { $0 }
        #expect(v.allSatisfy { abs($0 - 0.6) < 0.03 }, "\(v)")
    }

    /// save → load of the critic's weights and AdamW state continues identically.
    @Test func aSavedCriticContinuesIdentically() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("critic-\(getpid())-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var a = try Self.critic()
        let seeds: ([[Double]]) throws -> [[Double]] = { v in v.map { $0.map { $0 - 1 } } }
        try a.update(Self.rollouts, seeds: seeds)
        try a.save(to: dir)
        let loaded = try ValueModel.load(from: dir, tokenizer: ByteTokenizer(), seed: 0)
        var b = TinyLMCritic(model: loaded, schedule: a.schedule, weightDecay: 0, maxGradNorm: 1)
        try b.loadOptimizer(from: dir)
        try a.update(Self.rollouts, seeds: seeds)
        try b.update(Self.rollouts, seeds: seeds)
        #expect(try a.values(Self.rollouts) == b.values(Self.rollouts))
    }
}

extension GRPOConfig {
    fileprivate func with(_ change: (inout GRPOConfig) -> Void) -> GRPOConfig {
        var c = self
        change(&c)
        return c
    }
}
