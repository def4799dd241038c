import ArgumentParser
import Foundation
import Tensor
import TinyLM

/// `grpo bench engine`: training throughput against the machine's measured sgemm rate, and KV-cache
/// generation throughput for one sequence versus a batch.
///
/// The default model (12.3M parameters, 49 MB in float32) is larger than this machine's 32 MB L3 cache, the
/// regime batching is for: one sequence at a time then streams every weight from memory per token, while a
/// batch reuses each weight for 64 tokens. Smaller models (e.g. `--hidden 256`) fit in cache and gain less.
struct EngineBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Training tokens/s and GFLOP/s (vs. a measured sgemm peak) and KV-cache generation tokens/s."
    )

    @Option(help: "Model width (hidden_size).") var hidden: Int = 512
    @Option(help: "Decoder layers (num_hidden_layers).") var layers: Int = 4
    @Option(help: "Attention heads (num_attention_heads).") var heads: Int = 8
    @Option(name: .customLong("kv-heads"), help: "Key/value heads (num_key_value_heads); 4:1 grouping as in Llama 3.")
    var kvHeads: Int = 2
    @Option(help: "MLP width (intermediate_size).") var intermediate: Int = 1536
    @Option(name: .customLong("seq-len"), help: "Training sequence length.") var seqLen: Int = 256
    @Option(name: .customLong("batch"), help: "Training sequences per step.") var batch: Int = 4
    @Option(help: "Measurement rounds (each: sgemm, a training step, both generations); medians are reported.")
    var steps: Int = 5
    @Option(name: .customLong("gen-batch"), help: "Batch size compared with batch 1 for generation.") var genBatch:
        Int = 64
    @Option(name: .customLong("gen-tokens"), help: "Tokens generated per sequence.") var genTokens: Int = 64
    @Option(name: .customLong("prompt-len"), help: "Prompt tokens per sequence for generation.") var promptLen: Int = 16
    @Option(
        help: """
            Run only one workload, --steps times after a warm-up, and print its median (for a profiler such as \
            `perf record`): training, or generation (the --gen-batch batch).
            """)
    var only: Workload?

    enum Workload: String, ExpressibleByArgument, CaseIterable { case training, generation }

    func validate() throws {
        for (name, v) in [
            ("hidden", hidden), ("layers", layers), ("heads", heads), ("kv-heads", kvHeads),
            ("intermediate", intermediate), ("seq-len", seqLen), ("batch", batch), ("steps", steps),
            ("gen-batch", genBatch), ("gen-tokens", genTokens), ("prompt-len", promptLen),
        ] where v < 1 {
            throw ValidationError("--\(name) must be at least 1, got \(v).")
        }
        if hidden % heads != 0 { throw ValidationError("--hidden \(hidden) is not a multiple of --heads \(heads).") }
        if heads % kvHeads != 0 {
            throw ValidationError("--heads \(heads) is not a multiple of --kv-heads \(kvHeads).")
        }
    }

    func run() throws {
        let tok = ByteTokenizer()
        let config = LlamaConfig(
            vocab_size: tok.vocabularySize, hidden_size: hidden, intermediate_size: intermediate,
            num_hidden_layers: layers, num_attention_heads: heads, num_key_value_heads: kvHeads,
            max_position_embeddings: max(seqLen, promptLen + genTokens))
        print("BLAS kernel: \(BLASKernel.summary)")
        print(
            "model: d=\(hidden) layers=\(layers) heads=\(heads)/\(kvHeads) ff=\(intermediate) vocab=\(config.vocab_size) "
                + "params=\(config.parameterCount); cores=\(Parallel.workers); load average before: \(Self.loadAverage())"
        )

        if let only {
            try runOnly(only, config)
            return
        }
        // Measurements alternate round by round, so a change in machine load hits both sides of each ratio.
        let gemm = SgemmProbe(n: 2048)
        let train = try TrainingProbe(config, batch: batch, seqLen: seqLen)
        let one = try GenerationProbe(config, batch: 1, promptLen: promptLen, tokens: genTokens)
        let many = try GenerationProbe(config, batch: genBatch, promptLen: promptLen, tokens: genTokens)
        try train.step()
        _ = try one.run()
        _ = try many.run()
        var peak: [Double] = []
        var step: [Double] = []
        var gen1: [Double] = []
        var genB: [Double] = []
        var cores: [String: [Double]] = [:]
        for _ in 0..<steps {
            peak.append(gemm.gflops())
            let t = try timed { try train.step() }
            step.append(t.wall)
            cores["train", default: []].append(t.cpu / t.wall)
            let (r1, c1) = try one.tokensPerSecond()
            let (rb, cb) = try many.tokensPerSecond()
            gen1.append(r1)
            genB.append(rb)
            cores["gen1", default: []].append(c1)
            cores["genB", default: []].append(cb)
        }
        let p = median(peak)
        let s = median(step)
        let g1 = median(gen1)
        let gb = median(genB)
        func busy(_ key: String) -> String { String(format: "%.2f", median(cores[key] ?? [0])) }
        let achieved = train.flopsPerStep / s / 1e9
        print(
            table([
                ["measurement (median of \(steps) alternating rounds)", "value", "unit", "cores busy"],
                [
                    "sgemm peak (2048³; best of core split / OpenBLAS threads)", String(format: "%.1f", p), "GFLOP/s",
                    "",
                ],
                [
                    "training step (B=\(batch), T=\(seqLen), AdamW)", String(format: "%.1f", s * 1000), "ms",
                    busy("train"),
                ],
                ["training throughput", String(format: "%.0f", Double(batch * seqLen) / s), "tokens/s", ""],
                ["training achieved (6N + 6·L·H·d·T per token)", String(format: "%.1f", achieved), "GFLOP/s", ""],
                ["training / sgemm peak", String(format: "%.1f", 100 * achieved / p), "%", ""],
                [
                    "generation batch 1 (KV cache, \(genTokens) tokens)", String(format: "%.0f", g1), "tokens/s",
                    busy("gen1"),
                ],
                [
                    "generation batch \(genBatch) (KV cache, \(genTokens) tokens)", String(format: "%.0f", gb),
                    "tokens/s",
                    busy("genB"),
                ],
                ["per-token speedup batch \(genBatch) / batch 1", String(format: "%.1f", gb / g1), "×", ""],
            ]))
        print("load average after: \(Self.loadAverage())")
    }
}

extension EngineBenchCommand {
    /// `--only`: one workload, warmed up once, then timed `steps` times.
    func runOnly(_ workload: Workload, _ config: LlamaConfig) throws {
        var rates: [Double] = []
        var cpu: [Double] = []
        switch workload {
        case .training:
            let train = try TrainingProbe(config, batch: batch, seqLen: seqLen)
            try train.step()
            for _ in 0..<steps {
                let t = try timed { try train.step() }
                rates.append(Double(batch * seqLen) / t.wall)
                cpu.append(t.cpu * 1000)
            }
        case .generation:
            let many = try GenerationProbe(config, batch: genBatch, promptLen: promptLen, tokens: genTokens)
            _ = try many.run()
            for _ in 0..<steps {
                var produced = 0
                let t = try timed { produced = try many.run() }
                rates.append(Double(produced) / t.wall)
                cpu.append(t.cpu * 1000)
            }
        }
        print(
            "\(workload.rawValue) only: median \(String(format: "%.0f", median(rates))) tokens/s, "
                + "\(String(format: "%.0f", median(cpu))) CPU-ms per run, over \(steps) runs "
                + "(\(rates.map { String(format: "%.0f", $0) }.joined(separator: ", ")) tokens/s); "
                + "load average after: \(Self.loadAverage())")
    }

    /// The first field of /proc/loadavg (other processes competing for the cores), or "?".
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init)
            ?? "?"
    }
}
