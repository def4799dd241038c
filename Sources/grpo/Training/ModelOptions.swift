import ArgumentParser
import Foundation
import GRPO
import RewardKit
import Tensor
import TinyLM

/// `--model` / `--init`: where the policy comes from, and how text becomes tokens.
struct ModelOptions: ParsableArguments {
    @Option(help: "Checkpoint folder (config.json, model.safetensors; optimizer.safetensors is ignored here).")
    var model: String?

    @Option(
        help: ArgumentHelp(
            "Random initialisation when no --model: tiny (d 64, 2 layers, 0.1M parameters) or small (d 128, 4 layers).",
            valueName: "size"))
    var `init`: String = "tiny"

    @Option(name: .customLong("init-seed"), help: "Seed of the random initialisation (any unsigned integer).")
    var initSeed: UInt64 = 0

    func validate() throws {
        guard Self.sizes[`init`] != nil else { throw ValidationError("--init must be tiny or small, got \(`init`)") }
    }

    /// Byte-level vocabulary: 256 bytes + the ByteTokenizer's special tokens.
    static let sizes: [String: (hidden: Int, layers: Int, heads: Int)] = [
        "tiny": (64, 2, 4), "small": (128, 4, 4),
    ]

    func load() throws -> (LlamaModel, any Tokenizer) {
        if let model {
            let dir = URL(fileURLWithPath: model)
            let m = try Checkpoint.load(from: dir)
            return (m, try Checkpoint.loadTokenizer(from: dir, config: m.config))
        }
        let tok = ByteTokenizer()
        let s = Self.sizes[`init`]!
        let config = LlamaConfig(
            vocab_size: tok.vocabularySize, hidden_size: s.hidden, intermediate_size: s.hidden * 3,
            num_hidden_layers: s.layers, num_attention_heads: s.heads, max_position_embeddings: 512,
            tie_word_embeddings: true, bos_token_id: Int(tok.bos), eos_token_id: Int(tok.eos),
            pad_token_id: Int(tok.pad))
        return (try LlamaModel(config: config, seed: initSeed), tok)
    }

    var json: JSON {
        ["model": model.map { .string($0) } ?? .null, "init": .string(`init`), "init_seed": .int(Int64(initSeed))]
    }
}

/// How prompts and completions become token ids: BOS + prompt bytes; completion + EOS.
struct Codec: PromptCodec {
    let tokenizer: any Tokenizer
    let bos: Int32?
    let eos: Int32

    init(tokenizer: any Tokenizer, config: LlamaConfig) throws {
        self.tokenizer = tokenizer
        bos = config.bos_token_id.map { Int32($0) }
        guard let e = config.eos_token_id else { throw GRPOError("the model config has no eos_token_id") }
        eos = Int32(e)
    }

    func prompt(_ task: TaskItem) -> [Int] { ((bos.map { [$0] } ?? []) + tokenizer.encode(task.prompt)).map(Int.init) }

    /// A demonstration's completion tokens: its text, then EOS.
    func demonstration(_ text: String) -> [Int] { (tokenizer.encode(text) + [eos]).map(Int.init) }

    /// The completion text a reward reads: the tokens up to (not including) EOS.
    func text(_ tokens: [Int]) -> String {
        tokenizer.decode(tokens.prefix { $0 != Int(eos) }.map { Int32($0) })
    }
}
