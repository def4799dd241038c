import Foundation
import RewardKit
import RewardModels
import Tensor
import Testing
import TinyLM

@Suite("Reward model")
struct RewardModelTests {
    /// The score is read at each row's last real token: a sequence scores the same alone and right-padded in a
    /// batch with a longer one, and changing a token after its end (padding) cannot change it.
    @Test func scoreIsReadAtTheLastRealToken() throws {
        let m = try Small.model()
        let short = m.encode(prompt: "ab", completion: "c")
        let long = m.encode(prompt: "abcdef", completion: "ghij")
        let alone = try m.scores(of: [short], batchSize: 1)[0]
        let together = try m.scores(of: [short, long], batchSize: 2)
        #expect(abs(alone - together[0]) < 1e-5)
        let prefix = try m.scores(of: [Array(short.dropLast())], batchSize: 1)[0]
        #expect(abs(prefix - alone) > 1e-6)  // the EOS position, not an earlier one, is read
    }

    /// Gradients of the pairwise loss through score head, hidden states and every weight agree with central
    /// differences along random directions.
    @Test func pairwiseLossGradientMatchesFiniteDifferences() throws {
        let m = try Small.model(layers: 2)
        let pairs = Small.rulePairs(count: 3, seed: 4)
        let sequences =
            pairs.map { m.encode(prompt: $0.prompt, completion: $0.chosen) }
            + pairs.map { m.encode(prompt: $0.prompt, completion: $0.rejected) }
        let batch = try TokenBatch(sequences)
        let error = GradCheck.maxDirectionalError(m.namedParameters.map(\.1), directions: 3, eps: 1e-2) { _ in
            let s = m.scores(batch)
            return RewardLoss.pairwise(
                chosen: s.narrow(axis: 0, start: 0, length: 3), rejected: s.narrow(axis: 0, start: 3, length: 3),
                margins: [0.5, 0, 1], centerCoefficient: 0.1)
        }
        #expect(error < 2e-2)
    }

    /// A random model learns a hidden rule ("yes" ≻ "no" after any prefix) and ranks every held-out pair right:
    /// accuracy 1 on 32 pairs it never trained on, with a mean margin grown by more than 1.
    @Test func learnsToRankASyntheticPreferencePerfectly() throws {
        let m = try Small.model(seed: 3)
        let trainer = RewardTrainer(
            model: m, schedule: try LRSchedule(peak: 1e-2, totalSteps: 150, decay: .constant),
            options: .init(maxGradNorm: 1))
        let train = Small.rulePairs(count: 240, seed: 1)
        let heldOut = Small.rulePairs(count: 32, seed: 99)
        let before = try trainer.evaluate(heldOut)
        for step in 0..<150 { _ = try trainer.step(pairs: (0..<8).map { train[(step * 8 + $0) % train.count] }) }
        let after = try trainer.evaluate(heldOut)
        #expect(after.accuracy == 1)
        #expect(after.marginMean > before.marginMean + 1)  // learned: a random head's margins are small
    }

    /// Outcome labels with the BCE loss separate right from wrong completions too (σ(r) → label).
    @Test func learnsFromOutcomeLabels() throws {
        let m = try Small.model(seed: 5)
        let trainer = RewardTrainer(model: m, schedule: try LRSchedule(peak: 1e-2, totalSteps: 150, decay: .constant))
        let outcomes = Small.rulePairs(count: 240, seed: 2).flatMap {
            [
                OutcomeExample(prompt: $0.prompt, completion: $0.chosen, label: 1),
                OutcomeExample(prompt: $0.prompt, completion: $0.rejected, label: 0),
            ]
        }
        for step in 0..<150 {
            _ = try trainer.step(outcomes: (0..<16).map { outcomes[(step * 16 + $0) % outcomes.count] })
        }
        let e = try trainer.evaluate(Small.rulePairs(count: 32, seed: 77))
        #expect(e.accuracy == 1)
        #expect(e.chosenMean > 0 && e.rejectedMean < 0)
    }

    /// The HF layout: config.json names LlamaForSequenceClassification with one label, the safetensors hold
    /// `score.weight` [1, d] and no `lm_head`; loading gives the same scores.
    @Test func checkpointRoundTripInTheHuggingFaceLayout() throws {
        let dir = try Small.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try Small.model()
        try m.save(to: dir)
        let config =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["architectures"] as? [String] == ["LlamaForSequenceClassification"])
        #expect(config["num_labels"] as? Int == 1)
        let file = try SafeTensors.read(dir.appendingPathComponent("model.safetensors"))
        #expect(file.tensors["score.weight"]?.shape == [1, 16])
        #expect(file.tensors["lm_head.weight"] == nil)
        let back = try RewardModel.load(from: dir)
        let seqs = [m.encode(prompt: "x", completion: "yz"), m.encode(prompt: "hello", completion: "")]
        #expect(try back.scores(of: seqs) == m.scores(of: seqs))
    }

    /// A causal-LM checkpoint is not a reward model, and a reward model without `score.weight` is broken: both
    /// errors name the folder and what is wrong.
    @Test func loadingRejectsOtherArchitecturesAndMissingHead() throws {
        let dir = try Small.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try Small.model()
        try Checkpoint.save(m.backbone, to: dir)
        #expect { try RewardModel.load(from: dir) } throws: { "\($0)".contains("LlamaForCausalLM") }
        try m.save(to: dir)
        let kept = m.backbone.namedParameters
        try SafeTensors.write(kept, to: dir.appendingPathComponent("model.safetensors"))
        #expect { try RewardModel.load(from: dir) } throws: { "\($0)".contains("score.weight") }
    }
}
