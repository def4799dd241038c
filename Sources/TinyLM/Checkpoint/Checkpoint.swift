import Foundation
import Tensor

/// Checkpoints in the HuggingFace layout: a folder with `config.json` and `model.safetensors` (or shards
/// listed in `model.safetensors.index.json`) holding `LlamaForCausalLM` parameter names.
public enum Checkpoint {
    /// Writes `config.json` and `model.safetensors` (float32) into `dir`, creating it if needed.
    /// A tied lm_head is not written, as transformers does.
    public static func save(_ model: LlamaModel, to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(model.config).write(to: dir.appendingPathComponent("config.json"), options: .atomic)
        try SafeTensors.write(
            model.namedParameters, metadata: ["format": "pt"],
            to: dir.appendingPathComponent("model.safetensors"))
    }

    /// Reads the config of the checkpoint in `dir`.
    public static func loadConfig(from dir: URL) throws -> LlamaConfig {
        let url = dir.appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url) else { throw TinyLMError("cannot read \(url.path)") }
        do { return try JSONDecoder().decode(LlamaConfig.self, from: data) } catch let e as TinyLMError {
            throw e
        } catch {
            throw TinyLMError("\(url.path) is not a Llama/Qwen2 config: \(error)")
        }
    }

    /// Loads a Llama or Qwen2 checkpoint (F32, F16 or BF16 weights) from `dir`.
    /// Throws naming a missing tensor or one whose shape differs from the config's.
    public static func load(from dir: URL) throws -> LlamaModel {
        let config = try loadConfig(from: dir)
        let weights = try loadWeights(from: dir)
        return try LlamaModel(config: config) { name, shape, _ in
            guard let t = weights[name] else { throw TinyLMError("\(dir.path): checkpoint has no tensor \(name)") }
            guard t.shape == shape else {
                throw TinyLMError("\(dir.path): tensor \(name) has shape \(t.shape), the config needs \(shape)")
            }
            t.requiresGrad = true
            return t
        }
    }

    /// All tensors of `model.safetensors`, or of the shards named by `model.safetensors.index.json`.
    static func loadWeights(from dir: URL) throws -> [String: Tensor] {
        let single = dir.appendingPathComponent("model.safetensors")
        if FileManager.default.fileExists(atPath: single.path) { return try SafeTensors.read(single).tensors }
        let index = dir.appendingPathComponent("model.safetensors.index.json")
        guard let data = try? Data(contentsOf: index),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let map = json["weight_map"] as? [String: String]
        else {
            throw TinyLMError("\(dir.path) has neither model.safetensors nor a readable model.safetensors.index.json")
        }
        var all: [String: Tensor] = [:]
        for shard in Set(map.values).sorted() {
            all.merge(try SafeTensors.read(dir.appendingPathComponent(shard)).tensors) { a, _ in a }
        }
        return all
    }
}

extension Checkpoint {
    /// The tokenizer of a checkpoint: its `tokenizer.json` (byte-level BPE) when present, else the built-in
    /// `ByteTokenizer`, whose 263 ids must fit the model's vocabulary.
    public static func loadTokenizer(from dir: URL, config: LlamaConfig) throws -> any Tokenizer {
        let url = dir.appendingPathComponent("tokenizer.json")
        let tokenizer: any Tokenizer =
            FileManager.default.fileExists(atPath: url.path) ? try BPETokenizer(contentsOf: url) : ByteTokenizer()
        guard tokenizer.vocabularySize <= config.vocab_size else {
            throw TinyLMError(
                "\(dir.path): the tokenizer has \(tokenizer.vocabularySize) ids but vocab_size is \(config.vocab_size)")
        }
        return tokenizer
    }
}
