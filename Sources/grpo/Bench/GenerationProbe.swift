import Tensor
import TinyLM

/// Sampling of `batch` sequences with the KV cache.
final class GenerationProbe {
    let model: LlamaModel
    let prompts: [[Int32]]
    let config: SamplingConfig
    var rng = Xoshiro256(seed: 3)

    init(_ c: LlamaConfig, batch: Int, promptLen: Int, tokens: Int) throws {
        model = try LlamaModel(config: c, seed: 1)
        var r = Xoshiro256(seed: 4)
        prompts = (0..<batch).map { _ in (0..<promptLen).map { _ in Int32(r.next() % 256) } }
        config = SamplingConfig(temperature: 1, maxTokens: tokens)
    }

    func run() throws -> Int {
        try model.generate(prompts: prompts, config: config, rng: &rng).reduce(0) { $0 + $1.tokens.count }
    }

    /// Tokens per second and the cores busy meanwhile (CPU seconds / wall seconds).
    func tokensPerSecond() throws -> (Double, Double) {
        var produced = 0
        let t = try timed { produced = try run() }
        return (Double(produced) / t.wall, t.cpu / t.wall)
    }
}
