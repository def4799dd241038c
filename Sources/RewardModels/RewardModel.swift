import Tensor
import TinyLM

/// A reward model: the policy's Llama architecture with a scalar `score` head instead of `lm_head`, as transformers'
/// `LlamaForSequenceClassification` with `num_labels = 1` (`score.weight` [1, d], no bias).
///
/// r(x) = score · h_last, where h_last is the final hidden state (after the last RMSNorm) at the last non-padding
/// token of the sequence (HF reads the token before the first pad; with right padding that is the same token).
/// A sequence is BOS + prompt tokens + completion tokens + EOS, the layout the GRPO policy sees, so the score is read
/// at the EOS that closes the completion.
public final class RewardModel {
    /// The transformer, without `lm_head` (its config is tied, so no separate head exists).
    public let backbone: LlamaModel
    /// `score.weight`, [1, hidden_size].
    public let score: Tensor
    public let tokenizer: any Tokenizer

    /// A reward model over `backbone`'s weights (shared, not copied) with `score`; `lm_head` is dropped.
    public init(backbone source: LlamaModel, score: Tensor, tokenizer: any Tokenizer) throws {
        let d = source.config.hidden_size
        guard score.shape == [1, d] else {
            throw RewardModelError("score.weight has shape \(score.shape), the config needs [1, \(d)]")
        }
        guard source.config.eos_token_id != nil else { throw RewardModelError("the config has no eos_token_id") }
        var config = source.config
        config.tie_word_embeddings = true
        let weights = Dictionary(uniqueKeysWithValues: source.namedParameters)
        backbone = try LlamaModel(config: config) { name, _, _ in weights[name]! }
        score.requiresGrad = true
        self.score = score
        self.tokenizer = tokenizer
    }

    /// A reward model on top of a language model, the score head drawn N(0, initializer_range²) as HF initialises it.
    public convenience init(languageModel: LlamaModel, tokenizer: any Tokenizer, seed: UInt64) throws {
        var rng = Xoshiro256(seed: seed)
        let std = Float(languageModel.config.initializer_range)
        let head = Tensor(randomNormal: [1, languageModel.config.hidden_size], std: std, rng: &rng)
        try self.init(backbone: languageModel, score: head, tokenizer: tokenizer)
    }

    public var config: LlamaConfig { backbone.config }

    /// Every parameter under its HuggingFace `LlamaForSequenceClassification` name (`model.…`, `score.weight`).
    public var namedParameters: [(String, Tensor)] { backbone.namedParameters + [("score.weight", score)] }

    /// The longest sequence the model reads (its `max_position_embeddings`).
    public var maxLength: Int { config.max_position_embeddings }

    /// The token ids of prompt + completion: BOS (when the config has one) + prompt + completion + EOS.
    public func encode(prompt: String, completion: String) -> [Int32] {
        let bos = config.bos_token_id.map { [Int32($0)] } ?? []
        return bos + tokenizer.encode(prompt) + tokenizer.encode(completion) + [Int32(config.eos_token_id!)]
    }

    /// Differentiable scores of a batch, shape [B]: the score head at each row's last real token.
    ///
    /// The head is applied at every position ([B, T, 1]) and the last real one is picked by a one-hot mask, as
    /// transformers computes `logits` for all positions and gathers `pooled_logits` at the last non-pad index.
    public func scores(_ batch: TokenBatch) -> Tensor {
        let b = batch.batch
        let t = batch.length
        let all = tokenScores(batch)
        var pick = [Float](repeating: 0, count: b * t)
        for (row, length) in batch.lengths.enumerated() { pick[row * t + length - 1] = 1 }
        return (all * Tensor(shape: [b, t], values: pick)).sum(axis: 1)
    }

    /// The score head at every position, differentiable, shape [B, T]: score · h_t (+ `bias`), what transformers'
    /// `LlamaForTokenClassification` with one label computes (its `logits[..., 0]`); padded positions hold
    /// numbers nobody should read.
    public func tokenScores(_ batch: TokenBatch, bias: Tensor? = nil) -> Tensor {
        let hidden = backbone.hiddenStates(
            tokens: batch.tokens, batch: batch.batch, positions: batch.positions, keyValid: batch.keyValid)
        return Tensor.linear(hidden, score, bias: bias).reshaped([batch.batch, batch.length])
    }

    /// Scores of token sequences (no gradient), in `batchSize` chunks; throws naming a sequence that is empty,
    /// longer than `maxLength`, or holds an id outside the vocabulary.
    public func scores(of sequences: [[Int32]], batchSize: Int = 16) throws -> [Double] {
        precondition(batchSize > 0, "scores: batchSize must be positive")
        for (i, s) in sequences.enumerated() {
            guard !s.isEmpty, s.count <= maxLength else {
                throw RewardModelError("sequence \(i) has \(s.count) tokens; the model reads 1...\(maxLength)")
            }
            try backbone.validate(s)
        }
        var out: [Double] = []
        out.reserveCapacity(sequences.count)
        var start = 0
        while start < sequences.count {
            let chunk = Array(sequences[start..<min(start + batchSize, sequences.count)])
            let batch = try TokenBatch(chunk)
            out += Tensor.withoutGrad { scores(batch) }.values.map(Double.init)
            start += chunk.count
        }
        return out
    }
}
