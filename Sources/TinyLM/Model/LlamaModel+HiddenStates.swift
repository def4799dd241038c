import Tensor

extension LlamaModel {
    /// The final hidden states (after the last RMSNorm, before `lm_head`), differentiable: what a head other than
    /// the language-model head reads, e.g. the `score` head of transformers' `LlamaForSequenceClassification`.
    ///
    /// Shapes: `tokens` B·T ids (row-major [B, T]), `positions` B·T RoPE positions → [B, T, hidden_size].
    /// `keyValid` (B·T, nil = all real) hides padding from attention, as in `forward`.
    public func hiddenStates(tokens: [Int32], batch: Int, positions: [Int32], keyValid: [Bool]? = nil) -> Tensor {
        precondition(
            batch > 0 && tokens.count % batch == 0 && positions.count == tokens.count,
            "hiddenStates: \(tokens.count) tokens, \(positions.count) positions, batch \(batch)")
        let t = tokens.count / batch
        var x = Tensor.embedding(embedTokens, ids: tokens, shape: [batch, t])
        let mask = AttentionMask(queryOffset: 0, keyValid: keyValid)
        let rope = RopeTable(positions: positions, headDim: config.head_dim, theta: config.rope_theta)
        for (i, layer) in layers.enumerated() {
            x = layer.forward(x, config, rope: rope, mask: mask, cache: nil, index: i)
        }
        return Tensor.rmsNorm(x, weight: norm, eps: Float(config.rms_norm_eps))
    }
}
