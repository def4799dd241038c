import ArgumentParser
import Foundation
import RewardKit
import RewardModels
import Tensor

/// `grpo train --rm DIR [--rm-update-every K]`: watch a reward model during GRPO, and update it online.
struct RMOnlineOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Reward-model folder to watch: every step logs its mean score on the rollouts (rm/score_mean) and its pairwise "
                + "accuracy on the step's fresh verifier-labelled pairs (rm/fresh_accuracy). Labels are the recipe's "
                + "accuracy component (or its value), so a recipe rewarding by the model must carry the verifier as a "
                + "component named accuracy (weight 0 leaves it out of the reward). The recipe's reward_model term with "
                + "the same path shares this model.",
            valueName: "dir"))
    var rm: String?

    @Option(
        name: .customLong("rm-update-every"),
        help: "Train the --rm model every K steps on the verifier-labelled pairs of the last K steps (1-100000).")
    var rmUpdateEvery: Int?

    @Option(name: .customLong("rm-lr"), help: "Learning rate of the online reward-model updates (0 < lr ≤ 1).")
    var rmLr: Float = 3e-4

    @Option(name: .customLong("rm-batch-size"), help: "Pairs per reward-model step (1-4096).")
    var rmBatchSize: Int = 32

    @Option(name: .customLong("rm-epochs"), help: "Passes over the collected pairs per update (1-100).")
    var rmEpochs: Int = 1

    func validate() throws {
        if let rmUpdateEvery {
            guard rm != nil else { throw ValidationError("--rm-update-every needs --rm, the reward model to update") }
            guard (1...100_000).contains(rmUpdateEvery) else {
                throw ValidationError("--rm-update-every must be in 1...100000, got \(rmUpdateEvery)")
            }
        }
        guard rmLr > 0, rmLr <= 1 else { throw ValidationError("--rm-lr must be in (0, 1], got \(rmLr)") }
        guard (1...4096).contains(rmBatchSize) else { throw ValidationError("--rm-batch-size must be in 1...4096") }
        guard (1...100).contains(rmEpochs) else { throw ValidationError("--rm-epochs must be in 1...100") }
    }

    /// The run's settings plus these options (only when --rm is given, so other runs' config.json is unchanged).
    func extend(_ settings: JSON) -> JSON {
        guard let rm, var o = settings.objectValue else { return settings }
        o["reward_model"] = [
            "rm": .string(rm), "rm_update_every": rmUpdateEvery.map { .int(Int64($0)) } ?? .null,
            "rm_lr": .double(Double(rmLr)), "rm_batch_size": .int(Int64(rmBatchSize)),
            "rm_epochs": .int(Int64(rmEpochs)),
        ]
        return .object(o)
    }

    /// The monitor, or nil without --rm. On resume, an updated model saved in `checkpoint` replaces the loaded one.
    func monitor(resumeFrom checkpoint: URL?) throws -> RewardModelMonitor? {
        guard let rm else { return nil }
        let monitor = RewardModelMonitor(
            model: try RewardModelStore.model(at: rm), updateEvery: rmUpdateEvery, lr: rmLr, batchSize: rmBatchSize,
            epochs: rmEpochs)
        if let checkpoint, rmUpdateEvery != nil { try monitor.restore(from: checkpoint) }
        return monitor
    }
}
