import Foundation
import GRPO
import Tensor
import TinyLM

/// The built-in policy: a TinyLM `LlamaModel` behind `GRPO.Policy`, with its AdamW optimizer, gradient clipping,
/// learning-rate schedule and sampling RNG. This is the only place where the trainer and the model meet.
///
/// Log-prob rows: a rollout's sequence is prompt + completion; `tokenLogProbs` gives log p(token i+1 | ≤ i), so
/// completion token t (0-based) sits at column P − 1 + t for a prompt of P tokens.
struct TinyLMPolicy: Policy {
    let model: LlamaModel
    let optimizer: AdamW
    var rng: Xoshiro256
    let eos: Int32
    var schedule: LRSchedule
    /// Global gradient-norm clip (≤ 0: off).
    var maxGradNorm: Float
    /// Norm of the last step's gradient before clipping.
    private(set) var lastGradNorm: Float = 0

    init(model: LlamaModel, eos: Int32, seed: UInt64, schedule: LRSchedule, weightDecay: Float, maxGradNorm: Float) {
        self.model = model
        let named = model.namedParameters
        optimizer = AdamW(
            parameters: named.map(\.1), decay: named.map { !$0.0.hasSuffix("norm.weight") && !$0.0.hasSuffix("bias") },
            config: AdamW.Config(weightDecay: weightDecay))
        rng = Xoshiro256(seed: seed)
        self.eos = eos
        self.schedule = schedule
        self.maxGradNorm = maxGradNorm
    }

    var parameterNames: [String] { model.namedParameters.map(\.0) }

    // MARK: Generation

    /// `count` completions of every prompt in one batched generation; result[i] is prompt i's group.
    mutating func generate(prompts: [[Int]], count: Int, maxTokens: Int, temperature: Double) throws -> [[Rollout]] {
        let expanded = prompts.flatMap { p in Array(repeating: p.map { Int32($0) }, count: count) }
        let config = SamplingConfig(temperature: Float(temperature), maxTokens: maxTokens, stopTokens: [eos])
        let gens = try model.generate(prompts: expanded, config: config, rng: &rng)
        return prompts.indices.map { i in
            (0..<count).map { j in
                let g = gens[i * count + j]
                return Rollout(
                    prompt: prompts[i], tokens: g.tokens.map(Int.init), logProbs: g.logprobs.map(Double.init),
                    truncated: g.finishReason == .length)
            }
        }
    }

    mutating func generate(prompt: [Int], count: Int, maxTokens: Int, temperature: Double) throws -> [Rollout] {
        try generate(prompts: [prompt], count: count, maxTokens: maxTokens, temperature: temperature)[0]
    }

    // MARK: Scoring

    /// The packed batch of prompt + completion sequences (completions of at least one token).
    static func batch(_ rollouts: [Rollout]) throws -> TokenBatch {
        for (i, r) in rollouts.enumerated() where r.tokens.isEmpty || r.prompt.isEmpty {
            throw GRPOError("rollout \(i) has an empty prompt or completion")
        }
        return try TokenBatch(rollouts.map { ($0.prompt + $0.tokens).map { Int32($0) } })
    }

    /// Rows × completion tokens from a [B, T−1] tensor of per-position values.
    static func completionColumns(_ values: [Float], _ rollouts: [Rollout], width: Int) -> [[Double]] {
        rollouts.enumerated().map { b, r in
            let start = b * width + r.prompt.count - 1
            return (0..<r.tokens.count).map { Double(values[start + $0]) }
        }
    }

    func score(_ rollouts: [Rollout], temperature: Double, entropies: Bool) throws -> TokenScores {
        let batch = try Self.batch(rollouts)
        let (lp, ent) = try Tensor.withoutGrad {
            try model.tokenLogProbs(batch, temperature: Float(temperature), entropy: entropies)
        }
        let w = batch.length - 1
        return TokenScores(
            logProbs: Self.completionColumns(lp.values, rollouts, width: w),
            entropies: ent.map { Self.completionColumns($0.values, rollouts, width: w) })
    }

    // MARK: Update

    /// loss = Σ seed_lp · logp + Σ seed_H · H over the completion tokens, as a differentiable scalar.
    func surrogate(
        _ rollouts: [Rollout], temperature: Double, gradLogProbs: [[Double]], gradEntropies: [[Double]]?
    ) throws -> Tensor {
        let batch = try Self.batch(rollouts)
        let (lp, ent) = try model.tokenLogProbs(batch, temperature: Float(temperature), entropy: gradEntropies != nil)
        return try Self.seeded(lp, ent, rollouts, width: batch.length - 1, gradLogProbs, gradEntropies)
    }

    /// Σ seed_lp · lp + Σ seed_H · ent, the seeds placed at the completion columns of the [B, T − 1] tensors.
    static func seeded(
        _ lp: Tensor, _ ent: Tensor?, _ rollouts: [Rollout], width w: Int, _ gradLogProbs: [[Double]],
        _ gradEntropies: [[Double]]?
    ) throws -> Tensor {
        func seed(_ rows: [[Double]], _ what: String) throws -> Tensor {
            var s = [Float](repeating: 0, count: rollouts.count * w)
            guard rows.count == rollouts.count else {
                throw GRPOError("\(what) has \(rows.count) rows for \(rollouts.count) rollouts")
            }
            for (b, r) in rollouts.enumerated() {
                guard rows[b].count == r.tokens.count else {
                    throw GRPOError("\(what)[\(b)] has \(rows[b].count) values for \(r.tokens.count) tokens")
                }
                for t in 0..<r.tokens.count { s[b * w + r.prompt.count - 1 + t] = Float(rows[b][t]) }
            }
            return Tensor(shape: [rollouts.count, w], values: s)
        }
        var loss = (lp * (try seed(gradLogProbs, "gradLogProbs"))).sum()
        if let gradEntropies, let ent { loss = loss + (ent * (try seed(gradEntropies, "gradEntropies"))).sum() }
        return loss
    }

    /// One forward pass with the graph kept: its log-probs give the seeds, which are backpropagated through it.
    mutating func update(
        _ rollouts: [Rollout], temperature: Double, entropies: Bool,
        seeds: (TokenScores) throws -> (gradLogProbs: [[Double]], gradEntropies: [[Double]]?)
    ) throws {
        optimizer.zeroGrad()
        let batch = try Self.batch(rollouts)
        let (lp, ent) = try model.tokenLogProbs(batch, temperature: Float(temperature), entropy: entropies)
        let w = batch.length - 1
        let scores = TokenScores(
            logProbs: Self.completionColumns(lp.values, rollouts, width: w),
            entropies: ent.map { Self.completionColumns($0.values, rollouts, width: w) })
        let (gradLogProbs, gradEntropies) = try seeds(scores)
        try Self.seeded(lp, ent, rollouts, width: w, gradLogProbs, gradEntropies).backward()
        applyGradients()
    }

    var optimizerMetrics: (learningRate: Double, gradNorm: Double) {
        (Double(learningRate), Double(lastGradNorm))
    }

    /// Clips the accumulated gradients, takes one AdamW step at the scheduled learning rate, clears gradients.
    mutating func applyGradients() {
        lastGradNorm =
            maxGradNorm > 0
            ? GradClip.clipGlobalNorm(optimizer.parameters, maxNorm: maxGradNorm)
            : GradClip.clipGlobalNorm(optimizer.parameters, maxNorm: .infinity)
        optimizer.update(lr: schedule.lr(at: optimizer.step))
        optimizer.zeroGrad()
    }

    var learningRate: Float { schedule.lr(at: optimizer.step) }

    // MARK: Snapshots

    struct Snapshot: Sendable {
        var parameters: [[Float]]
        var expAvg: [[Float]]
        var expAvgSq: [[Float]]
        var step: Int
        var rng: Xoshiro256
    }

    func snapshot() -> Snapshot {
        Snapshot(
            parameters: optimizer.parameters.map(\.values), expAvg: optimizer.expAvg.map(\.array),
            expAvgSq: optimizer.expAvgSq.map(\.array), step: optimizer.step, rng: rng)
    }

    mutating func restore(_ s: Snapshot) {
        for (i, p) in optimizer.parameters.enumerated() {
            p.data.update(from: s.parameters[i], count: p.count)
            optimizer.expAvg[i].pointer.update(from: s.expAvg[i], count: p.count)
            optimizer.expAvgSq[i].pointer.update(from: s.expAvgSq[i], count: p.count)
        }
        try? optimizer.restore(step: s.step)
        rng = s.rng
    }

    /// Writes the checkpoint (`config.json`, `model.safetensors`) and `optimizer.safetensors` (AdamW moments, step,
    /// and the sampling RNG state in the metadata) into `dir`.
    func save(to dir: URL) throws {
        try Checkpoint.save(model, to: dir)
        try optimizer.save(
            names: parameterNames, metadata: ["rng": rng.state.map(String.init).joined(separator: ",")],
            to: dir.appendingPathComponent("optimizer.safetensors"))
    }

    /// Restores the optimizer state and RNG written by `save` (the weights are loaded with the model).
    mutating func loadOptimizer(from dir: URL) throws {
        let meta = try optimizer.load(names: parameterNames, from: dir.appendingPathComponent("optimizer.safetensors"))
        guard let text = meta["rng"] else { throw GRPOError("\(dir.path)/optimizer.safetensors has no rng state") }
        rng = try Xoshiro256(state: text.split(separator: ",").compactMap { UInt64($0) })
    }
}
