import Tensor

/// What a parameter is, which decides its initialisation.
public enum ParameterKind: Sendable { case weight, norm, bias }

/// A Llama-architecture decoder-only transformer (transformers `LlamaForCausalLM`; Qwen2 when biased):
/// token embedding, `num_hidden_layers` × `LlamaLayer`, final RMSNorm, lm_head (or the tied embedding).
public final class LlamaModel {
    public let config: LlamaConfig
    public let embedTokens: Tensor
    public let layers: [LlamaLayer]
    public let norm: Tensor
    /// Nil when `tie_word_embeddings`.
    public let lmHead: Tensor?

    /// A randomly initialised model: weights N(0, initializer_range²), norms 1, biases 0 (HuggingFace's scheme).
    public convenience init(config: LlamaConfig, seed: UInt64) throws {
        var rng = Xoshiro256(seed: seed)
        let std = Float(config.initializer_range)
        try self.init(config: config) { _, shape, kind in
            switch kind {
            case .weight: Tensor(randomNormal: shape, std: std, rng: &rng, requiresGrad: true)
            case .norm: Tensor(filled: 1, shape: shape, requiresGrad: true)
            case .bias: Tensor(zeros: shape, requiresGrad: true)
            }
        }
    }

    /// A model whose parameters come from `make(HuggingFace name, shape, kind)`, in `namedParameters` order.
    public init(config: LlamaConfig, make: (String, [Int], ParameterKind) throws -> Tensor) throws {
        try config.validate()
        self.config = config
        let d = config.hidden_size
        let v = config.vocab_size
        embedTokens = try make("model.embed_tokens.weight", [v, d], .weight)
        layers = try (0..<config.num_hidden_layers).map { i in
            try LlamaLayer(config) { name, shape, kind in try make("model.layers.\(i).\(name)", shape, kind) }
        }
        norm = try make("model.norm.weight", [d], .norm)
        lmHead = config.tie_word_embeddings ? nil : try make("lm_head.weight", [v, d], .weight)
    }

    /// Every parameter under its HuggingFace name (`model.embed_tokens.weight`, `model.layers.0.…`, `lm_head.weight`).
    public var namedParameters: [(String, Tensor)] {
        var list = [("model.embed_tokens.weight", embedTokens)]
        for (i, layer) in layers.enumerated() {
            list += layer.namedParameters.map { ("model.layers.\(i).\($0.0)", $0.1) }
        }
        list.append(("model.norm.weight", norm))
        if let lmHead { list.append(("lm_head.weight", lmHead)) }
        return list
    }

    /// The parameters in `namedParameters` order.
    public var parameters: [Tensor] { namedParameters.map(\.1) }

    /// Logits for a batch of token ids.
    ///
    /// Shapes: `tokens` B·T ids (row-major [B, T]), `positions` B·T RoPE positions → logits [B, T, V]
    /// (or [B, 1, V] for the last position only when `lastOnly`). `keyValid` (B·T, nil = all real) hides
    /// padding from attention. With a `cache` (inference only) the tokens continue the cached positions and
    /// the cache's own `valid` flags apply; the caller sets them for the new slots before the call.
    public func forward(
        tokens: [Int32], batch: Int, positions: [Int32], keyValid: [Bool]? = nil,
        cache: KVCache? = nil, lastOnly: Bool = false
    ) -> Tensor {
        precondition(
            batch > 0 && tokens.count % batch == 0 && positions.count == tokens.count,
            "forward: \(tokens.count) tokens, \(positions.count) positions, batch \(batch)")
        precondition(
            cache == nil || !Tensor.isGradEnabled || !embedTokens.requiresGrad,
            "a KV cache is for inference: wrap the call in Tensor.withoutGrad")
        let t = tokens.count / batch
        var x = Tensor.embedding(embedTokens, ids: tokens, shape: [batch, t])
        let mask = AttentionMask(queryOffset: 0, keyValid: keyValid)
        let rope = RopeTable(positions: positions, headDim: config.head_dim, theta: config.rope_theta)
        for (i, layer) in layers.enumerated() {
            x = layer.forward(x, config, rope: rope, mask: mask, cache: cache, index: i)
        }
        cache?.advance(by: t)
        if lastOnly && t > 1 {
            precondition(!x.requiresGrad, "lastOnly is for inference: wrap the call in Tensor.withoutGrad")
            x = Self.lastRows(x)
        }
        x = Tensor.rmsNorm(x, weight: norm, eps: Float(config.rms_norm_eps))
        return Tensor.linears(x, [lmHead ?? embedTokens])[0]  // `linear`, in the fused pass when decoding
    }

    /// [B, T, d] → [B, 1, d], the last position of each row (no gradient).
    static func lastRows(_ x: Tensor) -> Tensor {
        let b = x.shape[0]
        let t = x.shape[1]
        let d = x.shape[2]
        let out = Tensor(zeros: [b, 1, d])
        for i in 0..<b { (out.data + i * d).update(from: x.data + (i * t + t - 1) * d, count: d) }
        return out
    }
}

extension LlamaModel {
    /// An independent copy of the weights (e.g. the frozen reference policy of a KL penalty); its parameters
    /// require gradients only when `trainable`.
    public func clone(trainable: Bool = false) throws -> LlamaModel {
        let source = Dictionary(uniqueKeysWithValues: namedParameters)
        return try LlamaModel(config: config) { name, _, _ in
            let copy = source[name]!.detached()
            copy.requiresGrad = trainable
            return copy
        }
    }
}
