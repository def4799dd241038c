import Tensor

extension LlamaModel {
    /// Samples a completion for every prompt at once with a KV cache.
    ///
    /// Prompts are left-padded to a common length (padding hidden from attention, RoPE positions counted from
    /// each prompt's first real token), prefilled in one pass, then decoded one token per step for the whole
    /// batch. Each sequence draws from its own generator seeded from `rng` in prompt order, so a run is
    /// reproducible from `rng`'s state. `tokenizer` is needed for stop strings and fills `Generation.text`.
    public func generate(
        prompts: [[Int32]], config s: SamplingConfig, rng: inout Xoshiro256,
        tokenizer: (any Tokenizer)? = nil
    ) throws -> [Generation] {
        try s.validate()
        guard !prompts.isEmpty else { return [] }
        if let i = prompts.firstIndex(where: \.isEmpty) { throw TinyLMError("prompt \(i) is empty") }
        for p in prompts { try validate(p) }
        if !s.stopStrings.isEmpty && tokenizer == nil { throw TinyLMError("stop strings need a tokenizer") }
        let b = prompts.count
        let p = prompts.map(\.count).max()!
        let capacity = p + s.maxTokens
        guard capacity <= config.max_position_embeddings else {
            throw TinyLMError(
                "prompt \(p) + max tokens \(s.maxTokens) exceeds max_position_embeddings \(config.max_position_embeddings)"
            )
        }
        var rngs = (0..<b).map { _ in Xoshiro256(seed: rng.next()) }
        let sampler = TokenSampler(config: s)
        let pads = prompts.map { p - $0.count }
        let cache = KVCache(config: config, batch: b, capacity: capacity)
        var tokens: [Int32] = []
        var positions: [Int32] = []
        for (i, prompt) in prompts.enumerated() {
            tokens += Array(repeating: 0, count: pads[i]) + prompt
            positions += (0..<p).map { Int32(max(0, $0 - pads[i])) }
            for j in 0..<pads[i] { cache.valid[i * capacity + j] = false }
        }
        var out = prompts.map { _ in Generation(tokens: [], logprobs: [], text: nil, finishReason: .length) }
        var done = Array(repeating: false, count: b)
        let v = config.vocab_size
        Tensor.withoutGrad {
            var logits = forward(tokens: tokens, batch: b, positions: positions, cache: cache, lastOnly: true)
            // Cache row r holds sequence active[r]; finished sequences are dropped from the batch once a
            // quarter of the rows are done, so they stop costing compute.
            var active = Array(0..<b)
            for step in 0..<s.maxTokens {
                let rows = active.enumerated().filter { !done[$0.element] }.map { ($0.offset, $0.element) }
                let picks = sampler.pick(rows: rows, logits: logits, vocabulary: v, rngs: &rngs)
                for ((_, i), (tok, lp)) in zip(rows, picks) {
                    out[i].tokens.append(tok)
                    out[i].logprobs.append(lp)
                    if s.stopTokens.contains(tok) {
                        out[i].finishReason = .stop
                        done[i] = true
                    } else if let tokenizer, !s.stopStrings.isEmpty {
                        let text = tokenizer.decode(out[i].tokens)
                        if let cut = s.stopStrings.compactMap({ text.range(of: $0) }).min(by: {
                            $0.lowerBound < $1.lowerBound
                        }) {
                            out[i].text = String(text[..<cut.upperBound])
                            out[i].finishReason = .stop
                            done[i] = true
                        }
                    }
                }
                let running = active.indices.filter { !done[active[$0]] }
                if running.isEmpty || step == s.maxTokens - 1 { break }
                if active.count - running.count >= max(1, active.count / 4) {
                    cache.keep(rows: running)
                    active = running.map { active[$0] }
                }
                let next = active.map { done[$0] ? 0 : out[$0].tokens.last! }
                let pos = active.map { Int32(p + step - pads[$0]) }
                logits = forward(tokens: next, batch: active.count, positions: pos, cache: cache)
            }
        }
        if let tokenizer {
            for i in 0..<b where out[i].text == nil { out[i].text = tokenizer.decode(out[i].tokens) }
        }
        return out
    }
}

extension TokenSampler {
    /// Picks for several rows at once, spread over the cores: `rows` lists (row of `logits` [R, 1, V], index in
    /// `rngs`); each row draws only from its own generator, so the result does not depend on the split.
    func pick(rows: [(Int, Int)], logits: Tensor, vocabulary v: Int, rngs: inout [Xoshiro256]) -> [(Int32, Float)] {
        var picks = [(Int32, Float)](repeating: (0, 0), count: rows.count)
        let z = Unguarded(logits.data)
        rngs.withUnsafeMutableBufferPointer { g in
            picks.withUnsafeMutableBufferPointer { out in
                let g = Unguarded(g.baseAddress!)
                let out = Unguarded(out.baseAddress!)
                // Rows are cheap (one pass over V logits): split only batches worth a second core.
                let chunks = Swift.min(Parallel.workers, rows.count / 16)
                let per = (rows.count + Swift.max(chunks, 1) - 1) / Swift.max(chunks, 1)
                HotPool.shared.run(Swift.max(chunks, 1)) { c in
                    let range = Swift.min(rows.count, c * per)..<Swift.min(rows.count, (c + 1) * per)
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: v) { w in
                        for n in range {
                            let (r, i) = rows[n]
                            out.p[n] = self.pick(z.p + r * v, count: v, weights: w.baseAddress!, rng: &g.p[i])
                        }
                    }
                }
            }
        }
        return picks
    }
}

/// A pointer handed to parallel workers that each touch only their own indices.
private struct Unguarded<T>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}
