import Foundation
import RewardModels
import TinyLM

/// Where `grpo rm train` starts: a reward-model folder (continue training it), or a language model from
/// `--model`/`--init` with a new score head.
enum RewardModelSource {
    /// Whether `dir/config.json` names a sequence-classification architecture.
    static func isRewardModel(_ dir: String) -> Bool {
        let url = URL(fileURLWithPath: dir).appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url),
            let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let arch = o["architectures"] as? [String]
        else { return false }
        return arch.contains { $0.hasSuffix("ForSequenceClassification") }
    }

    /// The starting reward model and the tokenizer file to copy into checkpoints (nil for the byte tokenizer).
    static func load(_ options: ModelOptions, headSeed: UInt64) throws -> (RewardModel, tokenizerFile: URL?) {
        let tokenizerFile = options.model.map { URL(fileURLWithPath: $0).appendingPathComponent("tokenizer.json") }
            .flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
        if let dir = options.model, isRewardModel(dir) {
            return (try RewardModel.load(from: URL(fileURLWithPath: dir)), tokenizerFile)
        }
        let (lm, tokenizer) = try options.load()
        return (try RewardModel(languageModel: lm, tokenizer: tokenizer, seed: headSeed), tokenizerFile)
    }
}
