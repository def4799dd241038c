import Foundation
import Tensor
import TinyLM

/// A value model (PPO's critic): the policy's Llama architecture with a scalar head read at every token, as
/// transformers' `LlamaForTokenClassification` with `num_labels = 1` (`score.weight` [1, d], `score.bias` [1]) —
/// the model verl loads for its critic (`AutoModelForTokenClassification`, one label). It is the reward model's
/// head (`RewardModel.tokenScores`) with a bias, read at every position instead of the last.
///
/// Dropout of the classifier is not applied (transformers' `classifier_dropout`): training here is deterministic.
public final class ValueModel {
    /// The backbone and `score.weight`.
    public let head: RewardModel
    /// `score.bias`, [1].
    public let bias: Tensor

    static let architectures = ["LlamaForTokenClassification", "Qwen2ForTokenClassification"]

    public init(head: RewardModel, bias: Tensor) throws {
        guard bias.shape == [1] else {
            throw RewardModelError("score.bias has shape \(bias.shape), a value head needs [1]")
        }
        bias.requiresGrad = true
        (self.head, self.bias) = (head, bias)
    }

    /// A value model on a language model's weights (copied: the policy keeps its own), the head initialised as
    /// transformers initialises a new `score` layer: weight N(0, initializer_range²), bias 0.
    public convenience init(languageModel: LlamaModel, tokenizer: any Tokenizer, seed: UInt64) throws {
        let copy = try languageModel.clone(trainable: true)
        let head = try RewardModel(languageModel: copy, tokenizer: tokenizer, seed: seed)
        try self.init(head: head, bias: Tensor(shape: [1], values: [0]))
    }

    public var config: LlamaConfig { head.config }

    /// Every parameter under its HuggingFace `LlamaForTokenClassification` name.
    public var namedParameters: [(String, Tensor)] { head.namedParameters + [("score.bias", bias)] }

    /// V at every position of a batch, differentiable, [B, T]: V_t = score · h_t + bias.
    public func values(_ batch: TokenBatch) -> Tensor { head.tokenScores(batch, bias: bias) }

    /// Writes `config.json` (`LlamaForTokenClassification`, one label) and `model.safetensors` into `dir`.
    public func save(to dir: URL) throws {
        try RewardModel.saveHead(
            config: config, tensors: namedParameters, architectures: Self.architectures, to: dir, tokenizerFile: nil)
    }

    /// A critic from a checkpoint folder: a value model written by `save` (or by transformers), a reward model
    /// (`LlamaForSequenceClassification`, bias 0; OpenRLHF starts its critic from the reward model), or a
    /// language model (a new head drawn with `seed`). The tokenizer is the policy's.
    public static func load(from dir: URL, tokenizer: any Tokenizer, seed: UInt64) throws -> ValueModel {
        let declared = try RewardModel.declaredArchitectures(dir)
        if declared.contains(where: architectures.contains) {
            let (model, tensors) = try RewardModel.loadHead(
                from: dir, architectures: architectures, what: "a value model")
            return try ValueModel(head: model, bias: tensors["score.bias"] ?? Tensor(shape: [1], values: [0]))
        }
        if declared.contains(where: RewardModel.architectures.contains) {
            return try ValueModel(head: RewardModel.load(from: dir), bias: Tensor(shape: [1], values: [0]))
        }
        return try ValueModel(languageModel: Checkpoint.load(from: dir), tokenizer: tokenizer, seed: seed)
    }
}
