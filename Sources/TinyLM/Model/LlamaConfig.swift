import Foundation

/// The architecture of a Llama-style decoder, with the field names of HuggingFace `config.json`
/// (`transformers.LlamaConfig`; Qwen2 configs load too and imply q/k/v biases).
public struct LlamaConfig: Codable, Sendable, Equatable {
    public var vocab_size: Int
    public var hidden_size: Int
    /// Width of the SwiGLU MLP.
    public var intermediate_size: Int
    public var num_hidden_layers: Int
    public var num_attention_heads: Int
    /// Key/value heads for grouped-query attention (equal to `num_attention_heads` for plain MHA).
    public var num_key_value_heads: Int
    /// Per-head width; HuggingFace's default is hidden_size / num_attention_heads.
    public var head_dim: Int
    public var rms_norm_eps: Double
    public var rope_theta: Double
    public var max_position_embeddings: Int
    /// Whether lm_head shares the token embedding matrix.
    public var tie_word_embeddings: Bool
    /// Whether q/k/v projections have biases (Llama `attention_bias`; always true for Qwen2).
    public var attention_bias: Bool
    public var model_type: String
    public var bos_token_id: Int?
    public var eos_token_id: Int?
    public var pad_token_id: Int?
    /// Standard deviation of the normal weight initialisation.
    public var initializer_range: Double

    public init(
        vocab_size: Int, hidden_size: Int, intermediate_size: Int, num_hidden_layers: Int, num_attention_heads: Int,
        num_key_value_heads: Int? = nil, head_dim: Int? = nil, rms_norm_eps: Double = 1e-6,
        rope_theta: Double = 10_000, max_position_embeddings: Int = 2048, tie_word_embeddings: Bool = false,
        attention_bias: Bool = false, model_type: String = "llama", bos_token_id: Int? = nil,
        eos_token_id: Int? = nil, pad_token_id: Int? = nil, initializer_range: Double = 0.02
    ) {
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.intermediate_size = intermediate_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads ?? num_attention_heads
        self.head_dim = head_dim ?? hidden_size / max(num_attention_heads, 1)
        self.rms_norm_eps = rms_norm_eps
        self.rope_theta = rope_theta
        self.max_position_embeddings = max_position_embeddings
        self.tie_word_embeddings = tie_word_embeddings
        self.attention_bias = attention_bias
        self.model_type = model_type
        self.bos_token_id = bos_token_id
        self.eos_token_id = eos_token_id
        self.pad_token_id = pad_token_id
        self.initializer_range = initializer_range
    }

    /// Throws naming the first inconsistent field.
    public func validate() throws {
        func check(_ ok: Bool, _ what: String) throws { if !ok { throw TinyLMError("config: \(what)") } }
        try check(vocab_size > 0, "vocab_size must be positive, got \(vocab_size)")
        try check(hidden_size > 0, "hidden_size must be positive, got \(hidden_size)")
        try check(intermediate_size > 0, "intermediate_size must be positive, got \(intermediate_size)")
        try check(num_hidden_layers >= 0, "num_hidden_layers must be ≥ 0, got \(num_hidden_layers)")
        try check(num_attention_heads > 0, "num_attention_heads must be positive, got \(num_attention_heads)")
        try check(
            num_key_value_heads > 0 && num_attention_heads % num_key_value_heads == 0,
            "num_attention_heads \(num_attention_heads) is not a multiple of num_key_value_heads \(num_key_value_heads)"
        )
        try check(head_dim > 0 && head_dim % 2 == 0, "head_dim must be positive and even for RoPE, got \(head_dim)")
        try check(rms_norm_eps > 0, "rms_norm_eps must be positive, got \(rms_norm_eps)")
        try check(rope_theta > 0, "rope_theta must be positive, got \(rope_theta)")
        try check(
            max_position_embeddings > 0, "max_position_embeddings must be positive, got \(max_position_embeddings)")
        try check(["llama", "qwen2"].contains(model_type), "model_type \"\(model_type)\" is not llama or qwen2")
        // Bounds far above any CPU-sized model, so sizes cannot overflow and a typo cannot exhaust memory.
        for (name, value, limit) in [
            ("vocab_size", vocab_size, 1 << 24), ("hidden_size", hidden_size, 1 << 16),
            ("intermediate_size", intermediate_size, 1 << 18),
            ("num_hidden_layers", num_hidden_layers, 1 << 10),
            ("num_attention_heads", num_attention_heads, 1 << 10), ("head_dim", head_dim, 1 << 12),
            ("max_position_embeddings", max_position_embeddings, 1 << 24),
        ] {
            try check(value <= limit, "\(name) \(value) exceeds the supported maximum \(limit)")
        }
        try check(parameterCount <= 1 << 33, "the model has \(parameterCount) parameters, more than 2^33")
    }

    /// Number of weights (embeddings counted once when tied).
    public var parameterCount: Int {
        let d = hidden_size
        let q = num_attention_heads * head_dim
        let kv = num_key_value_heads * head_dim
        let attn = d * q + 2 * d * kv + q * d + (attention_bias ? q + 2 * kv : 0)
        let layer = attn + 3 * d * intermediate_size + 2 * d
        return vocab_size * d * (tie_word_embeddings ? 1 : 2) + num_hidden_layers * layer + d
    }

    enum CodingKeys: String, CodingKey {
        case vocab_size, hidden_size, intermediate_size, num_hidden_layers, num_attention_heads, num_key_value_heads
        case head_dim, rms_norm_eps, rope_theta, max_position_embeddings, tie_word_embeddings, attention_bias
        case model_type, bos_token_id, eos_token_id, pad_token_id, initializer_range, rope_scaling, architectures
        case torch_dtype, hidden_act, rope_parameters, mlp_bias, use_sliding_window
    }

    /// transformers ≥ 5 writes RoPE settings as `"rope_parameters": {"rope_theta": …, "rope_type": "default"}`.
    struct RopeParameters: Decodable {
        var rope_theta: Double?
        var rope_type: String?
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let heads = try c.decode(Int.self, forKey: .num_attention_heads)
        let hidden = try c.decode(Int.self, forKey: .hidden_size)
        let type = try c.decodeIfPresent(String.self, forKey: .model_type) ?? "llama"
        self.init(
            vocab_size: try c.decode(Int.self, forKey: .vocab_size), hidden_size: hidden,
            intermediate_size: try c.decode(Int.self, forKey: .intermediate_size),
            num_hidden_layers: try c.decode(Int.self, forKey: .num_hidden_layers), num_attention_heads: heads,
            num_key_value_heads: try c.decodeIfPresent(Int.self, forKey: .num_key_value_heads),
            head_dim: try c.decodeIfPresent(Int.self, forKey: .head_dim),
            rms_norm_eps: try c.decodeIfPresent(Double.self, forKey: .rms_norm_eps) ?? 1e-6,
            rope_theta: try c.decodeIfPresent(Double.self, forKey: .rope_theta)
                ?? c.decodeIfPresent(RopeParameters.self, forKey: .rope_parameters)?.rope_theta ?? 10_000,
            max_position_embeddings: try c.decodeIfPresent(Int.self, forKey: .max_position_embeddings) ?? 2048,
            tie_word_embeddings: try c.decodeIfPresent(Bool.self, forKey: .tie_word_embeddings) ?? false,
            attention_bias: type == "qwen2"
                ? true : (try c.decodeIfPresent(Bool.self, forKey: .attention_bias) ?? false),
            model_type: type, bos_token_id: try? c.decodeIfPresent(Int.self, forKey: .bos_token_id),
            eos_token_id: (try? c.decodeIfPresent(Int.self, forKey: .eos_token_id))
                ?? (try? c.decodeIfPresent([Int].self, forKey: .eos_token_id))?.first,
            pad_token_id: try? c.decodeIfPresent(Int.self, forKey: .pad_token_id),
            initializer_range: try c.decodeIfPresent(Double.self, forKey: .initializer_range) ?? 0.02)
        if c.contains(.rope_scaling), try !c.decodeNil(forKey: .rope_scaling) {
            throw TinyLMError("config: rope_scaling is not supported (only plain RoPE)")
        }
        if let type = try c.decodeIfPresent(RopeParameters.self, forKey: .rope_parameters)?.rope_type, type != "default"
        {
            throw TinyLMError("config: rope_type \"\(type)\" is not supported (only default RoPE)")
        }
        if try c.decodeIfPresent(Bool.self, forKey: .mlp_bias) == true {
            throw TinyLMError("config: mlp_bias true is not supported")
        }
        if try c.decodeIfPresent(Bool.self, forKey: .use_sliding_window) == true {
            throw TinyLMError("config: use_sliding_window true is not supported (full attention only)")
        }
        if let act = try c.decodeIfPresent(String.self, forKey: .hidden_act), act != "silu" {
            throw TinyLMError("config: hidden_act \"\(act)\" is not supported (only silu)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode([model_type == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"], forKey: .architectures)
        try c.encode(model_type, forKey: .model_type)
        try c.encode(vocab_size, forKey: .vocab_size)
        try c.encode(hidden_size, forKey: .hidden_size)
        try c.encode(intermediate_size, forKey: .intermediate_size)
        try c.encode(num_hidden_layers, forKey: .num_hidden_layers)
        try c.encode(num_attention_heads, forKey: .num_attention_heads)
        try c.encode(num_key_value_heads, forKey: .num_key_value_heads)
        try c.encode(head_dim, forKey: .head_dim)
        try c.encode(rms_norm_eps, forKey: .rms_norm_eps)
        try c.encode(rope_theta, forKey: .rope_theta)
        try c.encodeNil(forKey: .rope_scaling)
        try c.encode(max_position_embeddings, forKey: .max_position_embeddings)
        try c.encode(tie_word_embeddings, forKey: .tie_word_embeddings)
        try c.encode(attention_bias, forKey: .attention_bias)
        try c.encode("silu", forKey: .hidden_act)
        try c.encode(initializer_range, forKey: .initializer_range)
        try c.encode("float32", forKey: .torch_dtype)
        try c.encodeIfPresent(bos_token_id, forKey: .bos_token_id)
        try c.encodeIfPresent(eos_token_id, forKey: .eos_token_id)
        try c.encodeIfPresent(pad_token_id, forKey: .pad_token_id)
    }
}
