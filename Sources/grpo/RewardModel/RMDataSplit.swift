import ArgumentParser
import Foundation
import GRPO
import RewardModels

/// The training examples and held-out pairs of `grpo rm train`.
///
/// Without `--eval-data`, a prompt is held out when a stable hash (FNV-1a) of its text falls below `--eval-percent`,
/// so the completions of one prompt never sit on both sides (implicit-prompt pairs hash their chosen text).
/// Examples longer than the model reads are dropped and counted, as TRL drops those over `max_length`.
struct RMDataSplit {
    var pairs: [PreferencePair] = []
    var outcomes: [OutcomeExample] = []
    var heldOut: [PreferencePair]
    var dropped: Int
    var unlabelled: Int

    init(data path: String, evalData: String?, evalPercent: Int, evalPairs: Int, model: RewardModel) throws {
        let (data, skipped) = try RewardData.read(path)
        unlabelled = skipped
        func heldOutByHash(_ key: String) -> Bool { evalData == nil && Int(Self.fnv1a(key) % 100) < evalPercent }
        var eval: RewardData?
        if let evalData { eval = try RewardData.read(evalData).data }
        var before = 0
        switch data {
        case .pairs(let all):
            before = all.count
            let fitting = all.filter { RewardData.fits($0, model) }
            pairs = fitting.filter { !heldOutByHash($0.prompt.isEmpty ? $0.chosen : $0.prompt) }
            if eval == nil {
                eval = .pairs(fitting.filter { heldOutByHash($0.prompt.isEmpty ? $0.chosen : $0.prompt) })
            }
            dropped = before - fitting.count
        case .outcomes(let all):
            before = all.count
            let fitting = all.filter {
                model.encode(prompt: $0.prompt, completion: $0.completion).count <= model.maxLength
            }
            outcomes = fitting.filter { !heldOutByHash($0.prompt) }
            if eval == nil { eval = .outcomes(fitting.filter { heldOutByHash($0.prompt) }) }
            dropped = before - fitting.count
        }
        heldOut =
            eval.map { RewardData.evaluationPairs($0, limit: evalPairs).filter { RewardData.fits($0, model) } } ?? []
        guard trainCount > 0 else {
            throw ValidationError(
                "\(path): no training example left (\(before) read, \(dropped) too long for the model, the rest held out)"
            )
        }
    }

    var trainCount: Int { pairs.isEmpty ? outcomes.count : pairs.count }

    var summary: String {
        let kind = pairs.isEmpty ? "\(outcomes.count) labelled completions" : "\(pairs.count) pairs"
        return "rm train: \(kind) to train on, \(heldOut.count) held-out pairs, \(dropped) too long (dropped), "
            + "\(unlabelled) without a label (skipped)"
    }

    /// The pointwise loss for `choice` (auto: BCE when every label is in [0, 1], else MSE).
    func pointwiseLoss(_ choice: String) throws -> RewardLoss.Pointwise {
        let inUnitRange = outcomes.allSatisfy { (0...1).contains($0.label) }
        switch choice {
        case "bce":
            guard inUnitRange else {
                let bad = outcomes.first { !(0...1).contains($0.label) }!.label
                throw ValidationError("--pointwise-loss bce needs labels in [0, 1]; the data has \(bad) (use mse)")
            }
            return .bce
        case "mse": return .mse
        default: return inUnitRange ? .bce : .mse
        }
    }

    /// One training step on the examples at `picks`.
    func step(_ trainer: RewardTrainer, picks: [Int]) throws -> RewardTrainer.Step {
        pairs.isEmpty
            ? try trainer.step(outcomes: picks.map { outcomes[$0] }) : try trainer.step(pairs: picks.map { pairs[$0] })
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
