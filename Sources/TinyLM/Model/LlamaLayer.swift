import Tensor

/// One decoder block (transformers `LlamaDecoderLayer`):
/// x = x + o_proj(attn(rope(q_proj(norm₁ x)), rope(k_proj(norm₁ x)), v_proj(norm₁ x)));
/// x = x + down_proj(silu(gate_proj(norm₂ x)) ⊙ up_proj(norm₂ x)).
public final class LlamaLayer {
    public let inputNorm, qProj, kProj, vProj, oProj, postNorm, gateProj, upProj, downProj: Tensor
    public let qBias, kBias, vBias: Tensor?

    /// Builds the layer's parameters through `make(name, shape, kind)`, names relative to `model.layers.N.`.
    init(_ c: LlamaConfig, make: (String, [Int], ParameterKind) throws -> Tensor) rethrows {
        let d = c.hidden_size
        let q = c.num_attention_heads * c.head_dim
        let kv = c.num_key_value_heads * c.head_dim
        let f = c.intermediate_size
        inputNorm = try make("input_layernorm.weight", [d], .norm)
        qProj = try make("self_attn.q_proj.weight", [q, d], .weight)
        kProj = try make("self_attn.k_proj.weight", [kv, d], .weight)
        vProj = try make("self_attn.v_proj.weight", [kv, d], .weight)
        oProj = try make("self_attn.o_proj.weight", [d, q], .weight)
        postNorm = try make("post_attention_layernorm.weight", [d], .norm)
        gateProj = try make("mlp.gate_proj.weight", [f, d], .weight)
        upProj = try make("mlp.up_proj.weight", [f, d], .weight)
        downProj = try make("mlp.down_proj.weight", [d, f], .weight)
        qBias = c.attention_bias ? try make("self_attn.q_proj.bias", [q], .bias) : nil
        kBias = c.attention_bias ? try make("self_attn.k_proj.bias", [kv], .bias) : nil
        vBias = c.attention_bias ? try make("self_attn.v_proj.bias", [kv], .bias) : nil
    }

    /// Parameters under their HuggingFace names relative to `model.layers.N.`.
    var namedParameters: [(String, Tensor)] {
        var list: [(String, Tensor)] = [
            ("input_layernorm.weight", inputNorm),
            ("self_attn.q_proj.weight", qProj), ("self_attn.k_proj.weight", kProj),
            ("self_attn.v_proj.weight", vProj), ("self_attn.o_proj.weight", oProj),
            ("post_attention_layernorm.weight", postNorm),
            ("mlp.gate_proj.weight", gateProj), ("mlp.up_proj.weight", upProj), ("mlp.down_proj.weight", downProj),
        ]
        if let qBias, let kBias, let vBias {
            list += [
                ("self_attn.q_proj.bias", qBias), ("self_attn.k_proj.bias", kBias), ("self_attn.v_proj.bias", vBias),
            ]
        }
        return list
    }

    /// x [B, T, d] → [B, T, d]. `cache` (inference only) supplies and receives this layer's keys and values.
    func forward(_ x: Tensor, _ c: LlamaConfig, rope: RopeTable, mask: AttentionMask, cache: KVCache?, index: Int)
        -> Tensor
    {
        let eps = Float(c.rms_norm_eps)
        let h = Tensor.rmsNorm(x, weight: inputNorm, eps: eps)
        let qkv = Tensor.linears(h, [qProj, kProj, vProj], biases: [qBias, kBias, vBias])
        let q = Tensor.rope(qkv[0], table: rope, heads: c.num_attention_heads)
        let k = Tensor.rope(qkv[1], table: rope, heads: c.num_key_value_heads)
        let v = qkv[2]
        let a: Tensor
        if let cache {
            let (keys, values) = cache.store(layer: index, k: k, v: v)
            a = Tensor.attention(
                q: q, k: keys, v: values, heads: c.num_attention_heads, kvHeads: c.num_key_value_heads,
                keyLength: cache.length + x.shape[1],
                mask: AttentionMask(queryOffset: cache.length, keyValid: cache.valid))
        } else {
            a = Tensor.attention(
                q: q, k: k, v: v, heads: c.num_attention_heads, kvHeads: c.num_key_value_heads, mask: mask)
        }
        let x1 = Tensor.linear(a, oProj, adding: x)
        let h2 = Tensor.rmsNorm(x1, weight: postNorm, eps: eps)
        return Tensor.linear(Tensor.swiglu(h2, gate: gateProj, up: upProj), downProj, adding: x1)
    }
}
