import Foundation
import Tensor
import TinyLM

/// Reward-model checkpoints in the HuggingFace layout of `LlamaForSequenceClassification` with one label:
/// `config.json` (`"architectures": ["LlamaForSequenceClassification"]`, `"num_labels": 1`, `id2label`) and
/// `model.safetensors` with the `model.…` tensors and `score.weight` [1, d] (no `lm_head`), plus `tokenizer.json`
/// when the model has a BPE tokenizer (the byte tokenizer needs no file).
extension RewardModel {
    static let architectures = ["LlamaForSequenceClassification", "Qwen2ForSequenceClassification"]

    /// Writes `config.json` and `model.safetensors` into `dir` (created if needed); copies `tokenizerFile` there.
    public func save(to dir: URL, tokenizerFile: URL? = nil) throws {
        try Self.saveHead(
            config: config, tensors: namedParameters, architectures: Self.architectures, to: dir,
            tokenizerFile: tokenizerFile)
    }

    /// Writes a one-label head model: `config.json` naming `architectures[0]` (`[1]` for qwen2) with
    /// `num_labels` 1, and `tensors` as `model.safetensors`.
    static func saveHead(
        config: LlamaConfig, tensors: [(String, Tensor)], architectures: [String], to dir: URL, tokenizerFile: URL?
    ) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let encoded = try JSONEncoder().encode(config)
        guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else {
            throw RewardModelError("cannot encode the config")
        }
        object["architectures"] = [config.model_type == "qwen2" ? architectures[1] : architectures[0]]
        object["num_labels"] = 1
        object["id2label"] = ["0": "LABEL_0"]
        object["label2id"] = ["LABEL_0": 0]
        object["problem_type"] = "regression"
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: dir.appendingPathComponent("config.json"), options: .atomic)
        try SafeTensors.write(tensors, metadata: ["format": "pt"], to: dir.appendingPathComponent("model.safetensors"))
        if let tokenizerFile, tokenizerFile.standardizedFileURL != dir.appendingPathComponent("tokenizer.json") {
            let target = dir.appendingPathComponent("tokenizer.json")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: tokenizerFile, to: target)
        }
    }

    /// Loads a reward model written by `save` (or by transformers for a one-label Llama/Qwen2 classifier).
    /// Throws naming the folder and what is wrong: another architecture, more than one label, a missing tensor.
    public static func load(from dir: URL) throws -> RewardModel {
        try loadHead(from: dir, architectures: architectures, what: "a reward model").model
    }

    /// The architecture names a checkpoint folder's `config.json` declares (empty when it declares none).
    static func declaredArchitectures(_ dir: URL) throws -> [String] {
        let url = dir.appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw RewardModelError("cannot read \(url.path) as a JSON object") }
        return object["architectures"] as? [String] ?? []
    }

    /// Loads a one-label head model of one of `architectures`: the backbone and `score.weight`, and the other
    /// tensors of the file (e.g. `score.bias`) for the caller.
    static func loadHead(
        from dir: URL, architectures: [String], what: String
    ) throws -> (model: RewardModel, tensors: [String: Tensor]) {
        let url = dir.appendingPathComponent("config.json")
        guard let data = try? Data(contentsOf: url),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw RewardModelError("cannot read \(url.path) as a JSON object") }
        let arch = object["architectures"] as? [String] ?? []
        guard arch.contains(where: architectures.contains) else {
            throw RewardModelError(
                "\(dir.path) is not \(what): architectures \(arch), expected \(architectures[0])")
        }
        let labels = (object["num_labels"] as? Int) ?? (object["id2label"] as? [String: Any])?.count ?? 2
        guard labels == 1 else {
            throw RewardModelError("\(dir.path) has \(labels) labels; \(what) has one (num_labels 1)")
        }
        let config = try Checkpoint.loadConfig(from: dir)
        let file = try SafeTensors.read(dir.appendingPathComponent("model.safetensors"))
        var tied = config
        tied.tie_word_embeddings = true
        let backbone = try LlamaModel(config: tied) { name, shape, _ in
            guard let t = file.tensors[name] else { throw RewardModelError("\(dir.path): no tensor \(name)") }
            guard t.shape == shape else {
                throw RewardModelError("\(dir.path): tensor \(name) has shape \(t.shape), the config needs \(shape)")
            }
            t.requiresGrad = true
            return t
        }
        guard let head = file.tensors["score.weight"] else {
            throw RewardModelError("\(dir.path): no tensor score.weight")
        }
        let model = try RewardModel(
            backbone: backbone, score: head, tokenizer: try Checkpoint.loadTokenizer(from: dir, config: config))
        return (model, file.tensors)
    }
}
