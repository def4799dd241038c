import Foundation
import GRPO
import RewardKit
import RewardModels
import Tensor

/// Watches a reward model during `grpo train` and, with an update interval, trains it online on the rollouts the
/// verifier labelled (the original GRPO paper's setting, Shao et al. 2024 §4.1: the reward model is continually
/// trained on the policy's latest samples).
///
/// Each step: the model scores every rollout (`rm/score_mean`, and its means over verified-correct and wrong
/// rollouts); within each group, every correct rollout is preferred to every wrong one, and the model's accuracy
/// on these fresh pairs, before it trains on them, is `rm/fresh_accuracy`: how well it keeps up with the policy's
/// distribution. Every `updateEvery` steps it takes `epochs` passes of pairwise (Bradley–Terry) steps over the pairs
/// of the last `updateEvery` steps (`rm/loss`, `rm/updates`).
final class RewardModelMonitor {
    let model: SharedRewardModel
    let updateEvery: Int?
    let lr: Float
    let batchSize: Int
    let epochs: Int
    private var buffer: [PreferencePair] = []

    init(model: SharedRewardModel, updateEvery: Int?, lr: Float, batchSize: Int, epochs: Int) {
        self.model = model
        self.updateEvery = updateEvery
        self.lr = lr
        self.batchSize = batchSize
        self.epochs = epochs
    }

    /// Metrics of one step (keys `rm/…`); trains the model when the step is a multiple of `updateEvery`.
    func observe(step: Int, groups: [ScoredGroup]) throws -> [(String, JSON)] {
        var prompts: [String] = []
        var texts: [String] = []
        var labels: [Bool] = []
        for g in groups {
            for (text, correct) in zip(g.texts, g.correct) {
                prompts.append(g.task.prompt)
                texts.append(text)
                labels.append(correct)
            }
        }
        let scores = try model.withModel { m in
            let sequences = zip(prompts, texts).map { m.encode(prompt: $0, completion: $1) }
            return try m.scores(of: sequences, batchSize: 64)
        }
        var pairs: [PreferencePair] = []
        var chosen: [Double] = []
        var rejected: [Double] = []
        var offset = 0
        for g in groups {
            let range = offset..<(offset + g.texts.count)
            for i in range where labels[i] {
                for j in range where !labels[j] {
                    pairs.append(PreferencePair(prompt: prompts[i], chosen: texts[i], rejected: texts[j]))
                    chosen.append(scores[i])
                    rejected.append(scores[j])
                }
            }
            offset = range.upperBound
        }
        func mean(_ x: [Double]) -> JSON { x.isEmpty ? .null : .double(x.reduce(0, +) / Double(x.count)) }
        let fresh = PairEvaluation(chosen: chosen, rejected: rejected)
        var out: [(String, JSON)] = [
            ("rm/score_mean", mean(scores)),
            ("rm/score_correct", mean(zip(scores, labels).filter(\.1).map(\.0))),
            ("rm/score_wrong", mean(zip(scores, labels).filter { !$0.1 }.map(\.0))),
            ("rm/fresh_pairs", .int(Int64(pairs.count))),
            ("rm/fresh_accuracy", pairs.isEmpty ? .null : .double(fresh.accuracy)),
        ]
        guard let updateEvery else { return out }
        buffer += pairs
        guard step % updateEvery == 0, !buffer.isEmpty else { return out }
        let (loss, updates) = try train(step: step)
        out += [("rm/loss", .double(loss)), ("rm/updates", .int(Int64(updates)))]
        buffer = []
        return out
    }

    /// `epochs` shuffled passes over the buffer (pairs that fit the model) in batches; returns the mean loss and the
    /// number of steps.
    private func train(step: Int) throws -> (Double, Int) {
        let schedule = try LRSchedule(peak: lr, totalSteps: 1, decay: .constant)
        let (buffer, batchSize, epochs) = (self.buffer, self.batchSize, self.epochs)
        var rng = SeededRandom(seed: 0x5EED_F00D ^ UInt64(step))  // a function of the step: resume-safe
        let losses = try model.withTrainer(schedule: schedule, options: .init()) { trainer in
            let usable = buffer.filter { RewardData.fits($0, trainer.model) }
            var losses: [Double] = []
            var order = Array(usable.indices)
            for _ in 0..<epochs where !usable.isEmpty {
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(0...i)) }
                for start in stride(from: 0, to: order.count, by: batchSize) {
                    let batch = order[start..<min(start + batchSize, order.count)].map { usable[$0] }
                    losses.append(Double(try trainer.step(pairs: batch).loss))
                }
            }
            return losses
        }
        return (losses.reduce(0, +) / Double(max(losses.count, 1)), losses.count)
    }

    /// Writes the updated model, its optimizer state and the pairs collected since the last update
    /// (`pending_pairs.jsonl`) to `checkpoint/reward_model` (only when updating online), so that a run resumed at
    /// any step trains on the same pairs as an uninterrupted one.
    func save(to checkpoint: URL) throws {
        guard updateEvery != nil else { return }
        let dir = checkpoint.appendingPathComponent("reward_model")
        let schedule = try LRSchedule(peak: lr, totalSteps: 1, decay: .constant)
        try model.withTrainer(schedule: schedule, options: .init()) { trainer in try trainer.save(to: dir) }
        let lines = buffer.map { $0.json.jsonText + "\n" }.joined()
        try Data(lines.utf8).write(to: dir.appendingPathComponent(Self.pendingFile), options: .atomic)
    }

    static let pendingFile = "pending_pairs.jsonl"

    /// Loads the weights and optimizer state that `save` wrote into the shared model.
    func restore(from checkpoint: URL) throws {
        let dir = checkpoint.appendingPathComponent("reward_model")
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.safetensors").path) else {
            return
        }
        let schedule = try LRSchedule(peak: lr, totalSteps: 1, decay: .constant)
        try model.withTrainer(schedule: schedule, options: .init()) { trainer in
            let saved = try RewardModel.load(from: dir)
            let source = Dictionary(uniqueKeysWithValues: saved.namedParameters)
            for (name, t) in trainer.model.namedParameters {
                guard let s = source[name], s.count == t.count else {
                    throw GRPOError("\(dir.path): no tensor \(name) of \(t.count) values to resume from")
                }
                t.data.update(from: s.data, count: t.count)
            }
            try trainer.loadOptimizer(from: dir)
        }
        let pending = dir.appendingPathComponent(Self.pendingFile)
        guard FileManager.default.fileExists(atPath: pending.path) else {
            // A checkpoint from before the pairs were saved: resumable, but not exactly.
            FileHandle.standardError.write(
                Data(
                    "note: \(pending.path) is missing (an older checkpoint): the reward model's next update sees only the pairs collected from here on\n"
                        .utf8))
            buffer = []
            return
        }
        let records = try JSONLinesFile.read(pending.path)
        guard !records.isEmpty else {
            buffer = []
            return
        }
        guard case .pairs(let pairs) = try RewardData.parse(records, source: pending.path).data else {
            throw GRPOError("\(pending.path): expected preference pairs")
        }
        buffer = pairs
    }
}
