import Tensor

extension LlamaModel {
    /// Differentiable next-token log-probabilities (and optionally entropies) of a batch.
    ///
    /// Shapes: → logprobs [B, T−1] with logprobs[b, i] = log p(tokens[b, i+1] | tokens[b, 0…i]);
    /// entropy [B, T−1] is the entropy of the distribution at position i. Entries whose target is padding
    /// (`batch.targetMask` false) are meaningless and must be masked by the caller. With `temperature` T the
    /// distribution is softmax(logits / T), as TRL's and verl's policy losses use it; `generate` records its
    /// log-probs under the same distribution.
    public func tokenLogProbs(_ batch: TokenBatch, temperature: Float = 1, entropy: Bool = false) throws
        -> (logprobs: Tensor, entropy: Tensor?)
    {
        try validate(batch.tokens)
        guard batch.length >= 2 else { throw TinyLMError("log-probs need sequences of at least 2 tokens") }
        guard temperature > 0, temperature.isFinite else {
            throw TinyLMError("temperature for log-probs must be positive, got \(temperature)")
        }
        let b = batch.batch
        let t = batch.length
        let v = config.vocab_size
        var logits = forward(tokens: batch.tokens, batch: b, positions: batch.positions, keyValid: batch.keyValid)
        if temperature != 1 { logits = logits * (1 / temperature) }
        let predicting = logits.narrow(axis: 1, start: 0, length: t - 1).reshaped([b * (t - 1), v])
        var targets: [Int32] = []
        targets.reserveCapacity(b * (t - 1))
        for row in 0..<b { targets += batch.tokens[(row * t + 1)..<(row * t + t)] }
        let lp = Tensor.gatherLogProbs(predicting, targets: targets).reshaped([b, t - 1])
        return (lp, entropy ? predicting.entropy().reshaped([b, t - 1]) : nil)
    }

    /// Log-probabilities of each sequence's tokens 1…n−1 given their prefixes (no gradient).
    public func logProbs(of sequences: [[Int32]], temperature: Float = 1) throws -> [[Float]] {
        let batch = try TokenBatch(sequences)
        let lp = try Tensor.withoutGrad { try tokenLogProbs(batch, temperature: temperature).logprobs }.values
        let w = batch.length - 1
        return sequences.enumerated().map { b, s in Array(lp[(b * w)..<(b * w + s.count - 1)]) }
    }

    /// Throws naming the first id outside the vocabulary.
    public func validate(_ tokens: [Int32]) throws {
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= config.vocab_size }) {
            throw TinyLMError("token id \(bad) is outside the vocabulary 0..<\(config.vocab_size)")
        }
    }
}
