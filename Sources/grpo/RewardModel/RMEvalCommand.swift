import ArgumentParser
import Foundation
import RewardKit
import RewardModels

/// `grpo rm eval`: how well a reward model ranks a pairs file.
struct RMEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract:
            "Rank preference pairs with a reward model; print accuracy, pairs, margin_mean and calibration as JSON.",
        discussion: """
            --data is preference JSONL (prompt/chosen/rejected) or outcome JSONL (prompt/completion/label, or a \
            rollouts.jsonl), whose pairs are the completions of one prompt with different labels. Pairs longer than \
            the model reads are left out and counted in "skipped".
            """)

    @Option(help: "Reward-model folder (grpo rm train --out).")
    var model: String

    @Option(help: "Pairs JSONL (or outcome JSONL; a path, - or .gz).")
    var data: String

    @Option(name: .customLong("batch-size"), help: "Sequences per forward pass (1-4096).")
    var batchSize: Int = 32

    @Option(name: .customLong("max-pairs"), help: "Evaluate at most this many pairs (1-10000000).")
    var maxPairs: Int = 10_000_000

    func validate() throws {
        guard (1...4096).contains(batchSize) else {
            throw ValidationError("--batch-size must be in 1...4096, got \(batchSize)")
        }
        guard (1...10_000_000).contains(maxPairs) else { throw ValidationError("--max-pairs must be in 1...10000000") }
    }

    func run() throws {
        let rm = try RewardModel.load(from: URL(fileURLWithPath: model))
        let (data, _) = try RewardData.read(self.data)
        let all = RewardData.evaluationPairs(data, limit: maxPairs)
        let pairs = all.filter { RewardData.fits($0, rm) }
        guard !pairs.isEmpty else {
            throw ValidationError(
                "\(self.data): no pair to evaluate (\(all.count) read, all longer than the model reads)")
        }
        var out = try RewardTrainer.evaluate(rm, pairs, batchSize: batchSize).json
        out["skipped"] = .int(Int64(all.count - pairs.count))
        print(JSON.object(out).jsonText)
    }
}
