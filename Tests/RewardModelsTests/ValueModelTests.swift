import Foundation
import Tensor
import Testing
import TinyLM

@testable import RewardModels

/// The value model (PPO's critic): the reward model's head read at every token, with a bias, in the HF
/// `LlamaForTokenClassification` layout.
@Suite struct ValueModelTests {
    static func model(seed: UInt64 = 1) throws -> (ValueModel, LlamaModel) {
        let rm = try Small.model(seed: seed)
        let lm = try LlamaModel(config: rm.config, seed: seed)
        return (try ValueModel(languageModel: lm, tokenizer: rm.tokenizer, seed: seed &+ 3), lm)
    }

    /// V_t = score · h_t + bias at every position; the value at a row's last token is the reward model's score plus
    /// the bias.
    @Test func valuesAreTheHeadAtEveryPositionPlusTheBias() throws {
        let (v, _) = try Self.model()
        v.bias.data[0] = 0.25
        let batch = try TokenBatch([[1, 5, 9, 2], [1, 7]])
        let values = Tensor.withoutGrad { v.values(batch) }
        #expect(values.shape == [2, 4])
        let scores = try v.head.scores(of: [[1, 5, 9, 2], [1, 7]])
        #expect(abs(Double(values.values[3]) - (scores[0] + 0.25)) < 1e-5)
        #expect(abs(Double(values.values[5]) - (scores[1] + 0.25)) < 1e-5)
    }

    /// Trained on d/dV of ½(V − 0.7)² at every position, the critic learns the constant 0.7 (through its bias and
    /// its head) and its weights are its own: the language model it started from is unchanged.
    @Test func aCriticLearnsAKnownConstantValue() throws {
        let (v, lm) = try Self.model(seed: 4)
        let before = lm.namedParameters.map { $0.1.values }
        let params = v.namedParameters.map(\.1)
        let adam = AdamW(parameters: params)
        let batch = try TokenBatch([[1, 5, 9, 2], [1, 7, 3], [1, 30, 31, 32, 33]])
        var mask = [Float](repeating: 0, count: batch.batch * batch.length)
        for (b, n) in batch.lengths.enumerated() { for t in 0..<n { mask[b * batch.length + t] = 1 } }
        let count = Float(mask.reduce(0, +))
        for _ in 0..<150 {
            adam.zeroGrad()
            let values = v.values(batch)
            let seed = zip(values.values, mask).map { ($0 - 0.7) * $1 / count }
            (values * Tensor(shape: values.shape, values: seed)).sum().backward()
            adam.update(lr: 0.02)
        }
        let learned = Tensor.withoutGrad { v.values(batch) }.values
        let valid = zip(learned, mask).filter { $0.1 == 1 }.map(\.0)
        #expect(valid.allSatisfy { abs($0 - 0.7) < 0.02 }, "\(valid)")
        #expect(lm.namedParameters.map { $0.1.values } == before)
    }

    /// save → load keeps every tensor under transformers' names; a reward model and a language model load as
    /// critics too (bias 0, and for the language model a new head).
    @Test func checkpointsRoundTripInTheTokenClassificationLayout() throws {
        let dir = try Small.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (v, lm) = try Self.model(seed: 2)
        v.bias.data[0] = -0.5
        try v.save(to: dir.appendingPathComponent("critic"))
        let config = try String(contentsOf: dir.appendingPathComponent("critic/config.json"), encoding: .utf8)
        #expect(config.contains("LlamaForTokenClassification") && config.contains("\"num_labels\" : 1"))
        let back = try ValueModel.load(from: dir.appendingPathComponent("critic"), tokenizer: v.head.tokenizer, seed: 9)
        #expect(back.namedParameters.map(\.0) == v.namedParameters.map(\.0))
        #expect(back.namedParameters.map { $0.1.values } == v.namedParameters.map { $0.1.values })
        #expect(v.namedParameters.map(\.0).suffix(2) == ["score.weight", "score.bias"])

        try v.head.save(to: dir.appendingPathComponent("rm"))
        let fromRM = try ValueModel.load(from: dir.appendingPathComponent("rm"), tokenizer: v.head.tokenizer, seed: 9)
        #expect(fromRM.bias.values == [0] && fromRM.head.score.values == v.head.score.values)

        try Checkpoint.save(lm, to: dir.appendingPathComponent("lm"))
        let fromLM = try ValueModel.load(from: dir.appendingPathComponent("lm"), tokenizer: v.head.tokenizer, seed: 9)
        #expect(fromLM.bias.values == [0])
        #expect(
            fromLM.head.backbone.namedParameters.map { $0.1.values }
                == lm.namedParameters.filter {
                    $0.0 != "lm_head.weight"
                }.map { $0.1.values })
    }
}
