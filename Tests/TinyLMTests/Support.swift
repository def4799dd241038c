import Foundation
import Tensor
import Testing
import TinyLM

/// Tiny model configurations shared by the tests.
enum Tiny {
    struct Variant: Sendable, CustomTestStringConvertible {
        let id: String
        let config: LlamaConfig
        var testDescription: String { id }
    }

    static let variants: [Variant] = [
        Variant(
            id: "llama MHA",
            config: LlamaConfig(
                vocab_size: 37, hidden_size: 16, intermediate_size: 24,
                num_hidden_layers: 2, num_attention_heads: 2, rope_theta: 500)),
        Variant(
            id: "llama GQA tied",
            config: LlamaConfig(
                vocab_size: 41, hidden_size: 32, intermediate_size: 40,
                num_hidden_layers: 2, num_attention_heads: 4,
                num_key_value_heads: 2, rms_norm_eps: 1e-5,
                tie_word_embeddings: true)),
        Variant(
            id: "qwen2 biases, head_dim 6",
            config: LlamaConfig(
                vocab_size: 29, hidden_size: 20, intermediate_size: 28,
                num_hidden_layers: 1, num_attention_heads: 4,
                num_key_value_heads: 1, head_dim: 6, rope_theta: 1e6,
                attention_bias: true, model_type: "qwen2")),
    ]

    /// A model with every parameter random (norm weights and biases too), so no term is trivially neutral.
    static func model(_ config: LlamaConfig, seed: UInt64 = 1, std: Float = 0.3) throws -> LlamaModel {
        var rng = Xoshiro256(seed: seed)
        return try LlamaModel(config: config) { _, shape, kind in
            let t = Tensor(randomNormal: shape, std: std, rng: &rng, requiresGrad: true)
            if kind == .norm { for i in 0..<t.count { t.data[i] += 1 } }
            return t
        }
    }

    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tinylm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Random ids in 0..<vocab.
    static func ids(_ n: Int, vocab: Int, seed: UInt64) -> [Int32] {
        var rng = Xoshiro256(seed: seed)
        return (0..<n).map { _ in Int32(rng.next() % UInt64(vocab)) }
    }
}
