import ArgumentParser
import Foundation
import GRPO
import RewardKit
import RewardModels
import Tensor

/// `grpo rm train`: a reward model from preference pairs (pairwise loss) or outcome labels (pointwise loss).
struct RMTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a reward model on preference pairs (Bradley–Terry) or outcome labels (BCE or MSE).",
        discussion: """
            --data: preference JSONL as TRL's RewardTrainer reads it (prompt, chosen, rejected; or chosen/rejected \
            with the prompt inside; strings or message lists; optional margin) or outcome JSONL (prompt, completion, \
            label 0/1 or a score; a GRPO run's rollouts.jsonl reads directly through its reward field). --out \
            receives the model (config.json, model.safetensors: HF LlamaForSequenceClassification, one label), \
            optimizer.safetensors, trainer_state.json, settings.json and metrics.jsonl (per step: loss, \
            train_accuracy, lr, grad_norm, and the held-out eval/accuracy, eval/margin_mean, \
            eval/calibration_error and eval/calibration bins). --resume continues exactly from --out.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var optimizer: OptimizerOptions

    @Option(help: "Training data JSONL (a path, - or .gz).")
    var data: String

    @Option(help: "Folder to write the reward model and its log into.")
    var out: String

    @Option(help: "Optimizer steps (1-100000).")
    var steps: Int = 200

    @Option(name: .customLong("stop-after"), help: "Stop after this many steps of this invocation (resume later).")
    var stopAfter: Int?

    @Option(name: .customLong("batch-size"), help: "Pairs (or labelled completions) per step (1-4096).")
    var batchSize: Int = 16

    @Option(
        name: .customLong("center-rewards-coefficient"),
        help: "TRL's center_rewards_coefficient c: adds c · mean((r_c + r_r)²) (≥ 0; 0 = off).")
    var centerRewardsCoefficient: Float = 0

    @Option(
        name: .customLong("pointwise-loss"),
        help: "Loss for outcome labels: bce (labels in [0, 1]), mse, or auto (bce when every label is in [0, 1]).")
    var pointwiseLoss: String = "auto"

    @Option(
        name: .customLong("eval-data"), help: "Held-out JSONL; without it --eval-percent of the prompts are held out.")
    var evalData: String?

    @Option(name: .customLong("eval-percent"), help: "Share of prompts held out of --data for evaluation (0-90).")
    var evalPercent: Int = 10

    @Option(name: .customLong("eval-pairs"), help: "Held-out pairs evaluated (1-100000).")
    var evalPairs: Int = 128

    @Option(name: .customLong("eval-every"), help: "Evaluate on the held-out pairs every N steps (1-100000).")
    var evalEvery: Int = 1

    @Option(
        name: .customLong("save-every"), help: "Checkpoint every N steps (1-100000; the last step is always saved).")
    var saveEvery: Int = 50

    @Flag(help: "Continue the training in --out from its checkpoint (same settings), exactly where it stopped.")
    var resume = false

    func validate() throws {
        guard (1...100_000).contains(steps) else {
            throw ValidationError("--steps must be in 1...100000, got \(steps)")
        }
        if let stopAfter, stopAfter < 1 { throw ValidationError("--stop-after must be ≥ 1, got \(stopAfter)") }
        guard (1...4096).contains(batchSize) else {
            throw ValidationError("--batch-size must be in 1...4096, got \(batchSize)")
        }
        guard centerRewardsCoefficient >= 0, centerRewardsCoefficient.isFinite else {
            throw ValidationError("--center-rewards-coefficient must be ≥ 0, got \(centerRewardsCoefficient)")
        }
        guard ["auto", "bce", "mse"].contains(pointwiseLoss) else {
            throw ValidationError("--pointwise-loss must be auto, bce or mse, got \(pointwiseLoss)")
        }
        guard (0...90).contains(evalPercent) else {
            throw ValidationError("--eval-percent must be in 0...90, got \(evalPercent)")
        }
        guard (1...100_000).contains(evalPairs) else { throw ValidationError("--eval-pairs must be in 1...100000") }
        guard (1...100_000).contains(evalEvery) else { throw ValidationError("--eval-every must be in 1...100000") }
        guard (1...100_000).contains(saveEvery) else { throw ValidationError("--save-every must be in 1...100000") }
    }

    /// Every setting, as written to settings.json and compared on --resume.
    var settings: JSON {
        [
            "model": model.json, "optimizer": optimizer.json, "data": .string(data), "steps": .int(Int64(steps)),
            "batch_size": .int(Int64(batchSize)),
            "center_rewards_coefficient": .double(Double(centerRewardsCoefficient)),
            "pointwise_loss": .string(pointwiseLoss), "eval_data": evalData.map { .string($0) } ?? .null,
            "eval_percent": .int(Int64(evalPercent)), "eval_pairs": .int(Int64(evalPairs)),
            "eval_every": .int(Int64(evalEvery)), "save_every": .int(Int64(saveEvery)),
        ]
    }

    func run() throws {
        let dir = URL(fileURLWithPath: out)
        let folder = try RunFolder(out)
        let settingsURL = dir.appendingPathComponent("settings.json")
        let stateURL = dir.appendingPathComponent("trainer_state.json")
        var state = TrainerState(step: 0, taskRNG: SeededRandom(seed: optimizer.seed ^ 0x5EED))
        let (start, tokenizerFile) = try RewardModelSource.load(model, headSeed: optimizer.seed)
        let rm = resume ? try RewardModel.load(from: dir) : start
        let split = try RMDataSplit(
            data: data, evalData: evalData, evalPercent: evalPercent, evalPairs: evalPairs, model: rm)
        print(split.summary)
        let trainer = RewardTrainer(
            model: rm, schedule: try optimizer.schedule(steps: steps),
            options: .init(
                centerCoefficient: centerRewardsCoefficient, pointwise: try split.pointwiseLoss(pointwiseLoss),
                weightDecay: optimizer.weightDecay, maxGradNorm: optimizer.maxGradNorm))
        if resume {
            let saved = try JSONLinesFile.read(settingsURL.path).first
            guard saved?.jsonText == settings.jsonText else {
                throw ValidationError("--resume: the settings differ from \(settingsURL.path); use the same options")
            }
            try trainer.loadOptimizer(from: dir)
            state = try TrainerState.load(stateURL)
        } else {
            guard !FileManager.default.fileExists(atPath: folder.metricsURL.path) else {
                throw ValidationError("\(out) already holds a training log; pass --resume or choose another --out")
            }
            try Data((settings.jsonText + "\n").utf8).write(to: settingsURL, options: .atomic)
        }
        _ = try folder.metrics(through: state.step)
        let last = min(steps, state.step + (stopAfter ?? steps))
        let bar = ProgressBar(total: steps)
        while state.step < last {
            let picks = (0..<batchSize).map { _ in state.taskRNG.int(0...(split.trainCount - 1)) }
            let result = try split.step(trainer, picks: picks)
            state.step += 1
            var line = JSONObject([
                ("step", .int(Int64(state.step))), ("loss", .double(Double(result.loss))),
                ("train_accuracy", result.accuracy.isNaN ? .null : .double(result.accuracy)),
                ("lr", .double(Double(result.learningRate))), ("grad_norm", .double(Double(result.gradNorm))),
            ])
            if !split.heldOut.isEmpty && (state.step % evalEvery == 0 || state.step == last) {
                let e = try trainer.evaluate(split.heldOut, batchSize: 32).json
                for (key, value) in e.entries where key != "pairs" { line["eval/\(key)"] = value }
            }
            try folder.append([.object(line)], to: folder.metricsURL)
            if state.step % saveEvery == 0 || state.step == last {
                try trainer.save(to: dir, tokenizerFile: tokenizerFile)
                try state.save(stateURL)
            }
            bar.draw(state.step, "loss \(result.loss)")
            if state.step % max(1, steps / 10) == 0 || state.step == last { print(JSON.object(line).jsonText) }
        }
        print("trained to step \(state.step) of \(steps); reward model in \(out)")
    }
}
