import ArgumentParser
import Foundation
import Tensor
import TinyLM

/// `grpo logprobs`: per-token log-probabilities of a text or id sequence under a checkpoint.
struct LogProbsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logprobs",
        abstract: "Print {\"token_ids\": […], \"logprobs\": […]} where logprobs[i] = log p(token i+1 | tokens 0…i)."
    )

    @Option(help: "Checkpoint folder with config.json and model.safetensors (and optionally tokenizer.json).")
    var model: String

    @Option(help: "Text to score, encoded with the checkpoint's tokenizer (no BOS is added).")
    var text: String?

    @Option(name: .customLong("token-ids"), help: "Comma-separated token ids to score, e.g. 1,2,3.")
    var tokenIDs: String?

    func validate() throws {
        if (text == nil) == (tokenIDs == nil) { throw ValidationError("Give exactly one of --text and --token-ids.") }
    }

    func run() throws {
        let dir = URL(fileURLWithPath: model)
        let m = try Checkpoint.load(from: dir)
        let ids: [Int32]
        if let text {
            ids = try Checkpoint.loadTokenizer(from: dir, config: m.config).encode(text)
        } else {
            ids = try Self.parseIDs(tokenIDs ?? "")
        }
        guard ids.count >= 2 else {
            throw ValidationError("Scoring needs at least 2 tokens; the input has \(ids.count).")
        }
        let lp = try m.logProbs(of: [ids])[0]
        let json: [String: Any] = ["token_ids": ids.map(Int.init), "logprobs": lp.map(Double.init)]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// "1, 2,3" → [1, 2, 3]; throws naming the first entry that is not an integer.
    static func parseIDs(_ list: String) throws -> [Int32] {
        try list.split(separator: ",").map { part in
            let s = part.trimmingCharacters(in: .whitespaces)
            guard let v = Int32(s) else { throw ValidationError("--token-ids: \"\(s)\" is not an integer token id.") }
            return v
        }
    }
}
