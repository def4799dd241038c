import ArgumentParser
import Foundation
import Tensor
import TinyLM

/// `grpo bench engine`: training throughput against the machine's measured sgemm rate, and KV-cache
/// generation throughput for one sequence versus a batch.
struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Training tokens/s and GFLOP/s (vs. a measured sgemm peak) and KV-cache generation tokens/s."
    )

    @Option(help: "Model width (hidden_size).") var hidden: Int = 256
    @Option(help: "Decoder layers (num_hidden_layers).") var layers: Int = 4
    @Option(help: "Attention heads (num_attention_heads).") var heads: Int = 4
    @Option(name: .customLong("kv-heads"), help: "Key/value heads (num_key_value_heads).") var kvHeads: Int = 4
    @Option(help: "MLP width (intermediate_size).") var intermediate: Int = 768
    @Option(name: .customLong("seq-len"), help: "Training sequence length.") var seqLen: Int = 256
    @Option(name: .customLong("batch"), help: "Training sequences per step.") var batch: Int = 8
    @Option(help: "Timed training steps (median reported).") var steps: Int = 5
    @Option(name: .customLong("gen-batch"), help: "Batch size compared with batch 1 for generation.") var genBatch: Int = 64
    @Option(name: .customLong("gen-tokens"), help: "Tokens generated per sequence.") var genTokens: Int = 64
    @Option(name: .customLong("prompt-len"), help: "Prompt tokens per sequence for generation.") var promptLen: Int = 16

    func validate() throws {
        for (name, v) in [("hidden", hidden), ("layers", layers), ("heads", heads), ("kv-heads", kvHeads),
                          ("intermediate", intermediate), ("seq-len", seqLen), ("batch", batch), ("steps", steps),
                          ("gen-batch", genBatch), ("gen-tokens", genTokens), ("prompt-len", promptLen)] where v < 1 {
            throw ValidationError("--\(name) must be at least 1, got \(v).")
        }
        if hidden % heads != 0 { throw ValidationError("--hidden \(hidden) is not a multiple of --heads \(heads).") }
        if heads % kvHeads != 0 { throw ValidationError("--heads \(heads) is not a multiple of --kv-heads \(kvHeads).") }
    }

    func run() throws {
        let tok = ByteTokenizer()
        let config = LlamaConfig(
            vocab_size: tok.vocabularySize, hidden_size: hidden, intermediate_size: intermediate,
            num_hidden_layers: layers, num_attention_heads: heads, num_key_value_heads: kvHeads,
            max_position_embeddings: max(seqLen, promptLen + genTokens))
        print("model: d=\(hidden) layers=\(layers) heads=\(heads)/\(kvHeads) ff=\(intermediate) vocab=\(config.vocab_size) "
              + "params=\(config.parameterCount); cores=\(Parallel.workers)")

        let peak = measureSgemmPeak()
        let train = try measureTraining(config)
        let gen1 = try measureGeneration(config, batch: 1)
        let genB = try measureGeneration(config, batch: genBatch)

        print(table([
            ["measurement", "value", "unit"],
            ["sgemm peak (best of 1024³, 2048³, split or OpenBLAS-threaded; median of 5)", String(format: "%.1f", peak), "GFLOP/s"],
            ["training step (B=\(batch), T=\(seqLen); median of \(steps))", String(format: "%.1f", train.seconds * 1000), "ms"],
            ["training throughput", String(format: "%.0f", train.tokensPerSecond), "tokens/s"],
            ["training achieved (6N + 12·L·H·d·T per token)", String(format: "%.1f", train.gflops), "GFLOP/s"],
            ["training / sgemm peak", String(format: "%.1f", 100 * train.gflops / peak), "%"],
            ["generation batch 1 (KV cache)", String(format: "%.0f", gen1), "tokens/s"],
            ["generation batch \(genBatch) (KV cache)", String(format: "%.0f", genB), "tokens/s"],
            ["per-token speedup batch \(genBatch) / batch 1", String(format: "%.1f", genB / gen1), "×"],
        ]))
    }

    /// Best median GFLOP/s of square sgemm products.
    func measureSgemmPeak() -> Double {
        [1024, 2048].map { n in
            let a = Storage(count: n * n), b = Storage(count: n * n), c = Storage(count: n * n)
            for i in 0..<(n * n) { a.pointer[i] = Float(i % 7) * 0.1; b.pointer[i] = Float(i % 5) * 0.1 }
            // Our split across cores, and OpenBLAS's own threading; the better one is the peak.
            let split = medianSeconds(repeats: 5) {
                BLAS.gemm(transA: false, transB: false, m: n, n: n, k: n, a.pointer, lda: n, b.pointer, ldb: n,
                          beta: 0, c.pointer, ldc: n)
            }
            let threaded = medianSeconds(repeats: 5) {
                BLAS.openBLASThreadedGemm(n: n, threads: Parallel.workers, a.pointer, b.pointer, c.pointer)
            }
            return 2 * Double(n * n * n) / min(split, threaded) / 1e9
        }.max()!
    }

    /// One AdamW step on random tokens: forward, mean token log-prob loss, backward, clipping, update.
    func measureTraining(_ c: LlamaConfig) throws -> (seconds: Double, tokensPerSecond: Double, gflops: Double) {
        let model = try LlamaModel(config: c, seed: 1)
        let opt = AdamW(parameters: model.parameters, config: AdamW.Config(weightDecay: 0.1))
        var rng = Xoshiro256(seed: 2)
        let seqs = (0..<batch).map { _ in (0..<seqLen).map { _ in Int32(rng.next() % UInt64(c.vocab_size)) } }
        let tb = try TokenBatch(seqs)
        let s = try medianSeconds(repeats: steps) {
            opt.zeroGrad()
            let loss = try model.tokenLogProbs(tb).logprobs.mean() * -1
            loss.backward()
            GradClip.clipGlobalNorm(model.parameters, maxNorm: 1)
            opt.update(lr: 1e-4)
        }
        // Matmul weights (embedding lookup excluded, lm_head included) and attention, PaLM appendix B.
        let linear = c.parameterCount - c.vocab_size * c.hidden_size * (c.tie_word_embeddings ? 0 : 1)
            - c.hidden_size * (2 * c.num_hidden_layers + 1)
        let perToken = 6 * Double(linear) + 12 * Double(c.num_hidden_layers * c.num_attention_heads * c.head_dim * seqLen)
        let tokens = Double(batch * seqLen)
        return (s, tokens / s, perToken * tokens / s / 1e9)
    }

    /// Generated tokens per second (all sequences together) with the KV cache.
    func measureGeneration(_ c: LlamaConfig, batch b: Int) throws -> Double {
        let model = try LlamaModel(config: c, seed: 1)
        var rng = Xoshiro256(seed: 3)
        let prompts = (0..<b).map { _ in (0..<promptLen).map { _ in Int32(rng.next() % 256) } }
        let cfg = SamplingConfig(temperature: 1, maxTokens: genTokens)
        var produced = 0
        let s = try medianSeconds(repeats: 3) {
            let g = try model.generate(prompts: prompts, config: cfg, rng: &rng)
            produced = g.reduce(0) { $0 + $1.tokens.count }
        }
        return Double(produced) / s
    }
}
