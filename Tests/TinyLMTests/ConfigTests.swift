import Foundation
import Testing
import TinyLM

@Suite("LlamaConfig from config.json")
struct ConfigTests {
    /// Written by transformers 5.23 `LlamaConfig.save_pretrained` (RoPE under rope_parameters).
    static let llamaV5 = """
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 1,
         "dtype": "float32", "eos_token_id": 2, "head_dim": 8, "hidden_act": "silu", "hidden_size": 32,
         "initializer_range": 0.02, "intermediate_size": 48, "max_position_embeddings": 2048, "mlp_bias": false,
         "model_type": "llama", "num_attention_heads": 4, "num_hidden_layers": 2, "num_key_value_heads": 2,
         "pad_token_id": null, "pretraining_tp": 1, "rms_norm_eps": 1e-06,
         "rope_parameters": {"rope_theta": 5000, "rope_type": "default"}, "tie_word_embeddings": false,
         "transformers_version": "5.23.0", "use_cache": true, "vocab_size": 263}
        """

    /// A Qwen2 config in the older layout (rope_theta at top level, eos as a list, no attention_bias key).
    static let qwen2 = """
        {"architectures": ["Qwen2ForCausalLM"], "bos_token_id": 151643, "eos_token_id": [151645, 151643],
         "hidden_act": "silu", "hidden_size": 64, "intermediate_size": 128, "max_position_embeddings": 32768,
         "max_window_layers": 21, "model_type": "qwen2", "num_attention_heads": 4, "num_hidden_layers": 2,
         "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768,
         "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_sliding_window": false, "vocab_size": 1000}
        """

    @Test func readsTransformersV5Llama() throws {
        let c = try JSONDecoder().decode(LlamaConfig.self, from: Data(Self.llamaV5.utf8))
        #expect(c.rope_theta == 5000 && c.head_dim == 8 && c.num_key_value_heads == 2 && !c.attention_bias)
        #expect(c.bos_token_id == 1 && c.eos_token_id == 2 && c.pad_token_id == nil)
        try c.validate()
    }

    @Test func readsQwen2WithImpliedBiases() throws {
        let c = try JSONDecoder().decode(LlamaConfig.self, from: Data(Self.qwen2.utf8))
        #expect(c.attention_bias && c.tie_word_embeddings && c.rope_theta == 1e6 && c.eos_token_id == 151645)
        #expect(c.head_dim == 16)
    }

    struct Unsupported: Sendable, CustomTestStringConvertible {
        let edit: String, replacement: String, mentions: String
        var testDescription: String { mentions }
    }

    @Test(arguments: [
        Unsupported(edit: #""rope_type": "default""#, replacement: #""rope_type": "llama3""#, mentions: "llama3"),
        Unsupported(edit: #""mlp_bias": false"#, replacement: #""mlp_bias": true"#, mentions: "mlp_bias"),
        Unsupported(edit: #""hidden_act": "silu""#, replacement: #""hidden_act": "gelu""#, mentions: "gelu"),
        Unsupported(edit: #""model_type": "llama""#, replacement: #""model_type": "gpt2""#, mentions: "gpt2"),
        Unsupported(
            edit: #""hidden_size": 32"#, replacement: #""hidden_size": 1000000000000"#, mentions: "hidden_size"),
        Unsupported(edit: #""num_key_value_heads": 2"#, replacement: #""num_key_value_heads": 3"#, mentions: "3"),
    ])
    func unsupportedSettingsAreNamed(_ u: Unsupported) throws {
        let text = Self.llamaV5.replacingOccurrences(of: u.edit, with: u.replacement)
        #expect(text != Self.llamaV5)
        #expect {
            try JSONDecoder().decode(LlamaConfig.self, from: Data(text.utf8)).validate()
        } throws: { "\($0)".contains(u.mentions) }
    }

    @Test func writtenConfigReadsBack() throws {
        let c = try JSONDecoder().decode(LlamaConfig.self, from: Data(Self.qwen2.utf8))
        #expect(try JSONDecoder().decode(LlamaConfig.self, from: JSONEncoder().encode(c)) == c)
    }
}
