import Foundation
import RewardModels
import Tensor
import TinyLM

/// Small reward models and synthetic data shared by the tests.
enum Small {
    /// A byte-tokenizer Llama small enough to train in a second: d 16, one layer.
    static func model(seed: UInt64 = 1, layers: Int = 1, maxLength: Int = 64) throws -> RewardModel {
        let tok = ByteTokenizer()
        let config = LlamaConfig(
            vocab_size: tok.vocabularySize, hidden_size: 16, intermediate_size: 32, num_hidden_layers: layers,
            num_attention_heads: 2, max_position_embeddings: maxLength, tie_word_embeddings: true,
            bos_token_id: Int(tok.bos), eos_token_id: Int(tok.eos), pad_token_id: Int(tok.pad))
        let lm = try LlamaModel(config: config, seed: seed)
        return try RewardModel(languageModel: lm, tokenizer: tok, seed: seed &+ 7)
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rm-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Pairs whose preference is a rule the texts do not state: the chosen completion ends in "yes", the rejected
    /// one in "no", after the same random lowercase prefix of 1-4 letters.
    static func rulePairs(count: Int, seed: UInt64) -> [PreferencePair] {
        var rng = Xoshiro256(seed: seed)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return (0..<count).map { _ in
            let n = 1 + Int(rng.next() % 4)
            let prefix = String((0..<n).map { _ in letters[Int(rng.next() % 26)] })
            return PreferencePair(prompt: "q\(rng.next() % 10):", chosen: prefix + " yes", rejected: prefix + " no")
        }
    }
}
