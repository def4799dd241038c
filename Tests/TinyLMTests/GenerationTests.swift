import Tensor
import Testing
import TinyLM

@Suite("Sampling with the KV cache")
struct GenerationTests {
    /// Log-probs recorded while decoding with the cache equal a full recomputation over prompt + completion.
    @Test(arguments: Tiny.variants)
    func cachedDecodingEqualsFullRecomputation(_ v: Tiny.Variant) throws {
        let m = try Tiny.model(v.config)
        let prompts = [
            Tiny.ids(5, vocab: v.config.vocab_size, seed: 1), Tiny.ids(2, vocab: v.config.vocab_size, seed: 2),
            Tiny.ids(8, vocab: v.config.vocab_size, seed: 3),
        ]
        var rng = Xoshiro256(seed: 11)
        let gens = try m.generate(prompts: prompts, config: SamplingConfig(temperature: 1, maxTokens: 9), rng: &rng)
        var worst: Float = 0
        for (p, g) in zip(prompts, gens) {
            #expect(g.tokens.count == 9 && g.finishReason == .length)
            let full = try m.logProbs(of: [p + g.tokens])[0]
            let tail = Array(full.suffix(g.tokens.count))
            for (a, b) in zip(tail, g.logprobs) { worst = max(worst, Swift.abs(a - b)) }
        }
        print("KV cache vs recomputation \(v.id): max |Δ logprob| \(worst)")
        #expect(worst < 1e-4)
    }

    /// At temperature T the recorded log-probs are those of softmax(logits / T), as tokenLogProbs recomputes.
    @Test func logProbsFollowTheSamplingTemperature() throws {
        let c = Tiny.variants[1].config
        let m = try Tiny.model(c)
        let prompt = Tiny.ids(4, vocab: c.vocab_size, seed: 12)
        var rng = Xoshiro256(seed: 3)
        let g = try m.generate(
            prompts: [prompt], config: SamplingConfig(temperature: 0.7, topK: 5, maxTokens: 6), rng: &rng)[0]
        let cold = Array(try m.logProbs(of: [prompt + g.tokens], temperature: 0.7)[0].suffix(6))
        let warm = Array(try m.logProbs(of: [prompt + g.tokens])[0].suffix(6))
        #expect(zip(cold, g.logprobs).allSatisfy { Swift.abs($0 - $1) < 1e-4 })
        #expect(!zip(warm, g.logprobs).allSatisfy { Swift.abs($0 - $1) < 1e-4 })
        #expect(throws: TinyLMError.self) { try m.logProbs(of: [prompt], temperature: 0) }
    }

    @Test func seededSamplingIsReproducibleAndBatchIndependent() throws {
        let c = Tiny.variants[1].config
        let m = try Tiny.model(c)
        let prompts = (0..<4).map { Tiny.ids(3 + $0, vocab: c.vocab_size, seed: UInt64($0)) }
        let cfg = SamplingConfig(temperature: 0.9, topK: 20, topP: 0.95, maxTokens: 12)
        var r1 = Xoshiro256(seed: 5)
        var r2 = Xoshiro256(seed: 5)
        var r3 = Xoshiro256(seed: 6)
        let a = try m.generate(prompts: prompts, config: cfg, rng: &r1)
        let b = try m.generate(prompts: prompts, config: cfg, rng: &r2)
        let c3 = try m.generate(prompts: prompts, config: cfg, rng: &r3)
        #expect(a == b)
        #expect(r1 == r2, "the caller's generator advances identically")
        #expect(a.map(\.tokens) != c3.map(\.tokens), "another seed gives other samples")
        // The first prompt alone, with the generator state the batch gave it, samples the same tokens.
        var r4 = Xoshiro256(seed: 5)
        let alone = try m.generate(prompts: [prompts[0]], config: cfg, rng: &r4)
        #expect(alone[0].tokens == a[0].tokens)
    }

    /// A batch large enough to be sampled on several cores (rows split between threads): each row still
    /// equals its prompt decoded alone from the generator state the batch gave it, and reruns are identical.
    @Test func rowsSampledInParallelMatchTheirPromptsAlone() throws {
        let c = Tiny.variants[1].config
        let m = try Tiny.model(c)
        let prompts = (0..<40).map { Tiny.ids(2 + $0 % 5, vocab: c.vocab_size, seed: 100 + UInt64($0)) }
        let cfg = SamplingConfig(temperature: 1, maxTokens: 8)
        var r1 = Xoshiro256(seed: 7)
        var r2 = Xoshiro256(seed: 7)
        let a = try m.generate(prompts: prompts, config: cfg, rng: &r1)
        #expect(try m.generate(prompts: prompts, config: cfg, rng: &r2) == a)
        for i in [0, 19, 20, 39] {
            var r = Xoshiro256(seed: 7)
            for _ in 0..<i { _ = r.next() }  // row i's generator is seeded by the batch's i-th draw
            let alone = try m.generate(prompts: [prompts[i]], config: cfg, rng: &r)[0]
            #expect(alone.tokens == a[i].tokens, "row \(i)")
            #expect(zip(alone.logprobs, a[i].logprobs).allSatisfy { Swift.abs($0 - $1) < 1e-4 }, "row \(i)")
        }
    }

    /// Sequences that stop early leave the batch (the cache is compacted); every greedy sequence must still
    /// equal the same prompt decoded alone.
    @Test func earlyStoppersLeaveTheBatchWithoutChangingOthers() throws {
        let c = Tiny.variants[0].config
        let m = try Tiny.model(c, std: 0.6)
        let prompts = (0..<8).map { Tiny.ids(2 + $0 % 3, vocab: c.vocab_size, seed: 40 + UInt64($0)) }
        let stops: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
        let cfg = SamplingConfig(temperature: 0, maxTokens: 12, stopTokens: stops)
        var rng = Xoshiro256(seed: 1)
        let together = try m.generate(prompts: prompts, config: cfg, rng: &rng)
        let lengths = Set(together.map(\.tokens.count))
        #expect(lengths.count > 1, "the stop set should end sequences at different steps: \(lengths)")
        for (p, g) in zip(prompts, together) {
            let alone = try m.generate(prompts: [p], config: cfg, rng: &rng)[0]
            #expect(alone.tokens == g.tokens && alone.finishReason == g.finishReason)
            #expect(zip(alone.logprobs, g.logprobs).allSatisfy { Swift.abs($0 - $1) < 1e-4 })
        }
    }

    @Test func greedyTopKOneAndTinyTopPAgree() throws {
        let c = Tiny.variants[0].config
        let m = try Tiny.model(c)
        let prompts = [Tiny.ids(4, vocab: c.vocab_size, seed: 9)]
        var rng = Xoshiro256(seed: 1)
        let greedy = try m.generate(prompts: prompts, config: SamplingConfig(temperature: 0, maxTokens: 6), rng: &rng)
        let topK = try m.generate(prompts: prompts, config: SamplingConfig(topK: 1, maxTokens: 6), rng: &rng)
        let topP = try m.generate(prompts: prompts, config: SamplingConfig(topP: 1e-6, maxTokens: 6), rng: &rng)
        #expect(greedy[0].tokens == topK[0].tokens && greedy[0].tokens == topP[0].tokens)
        // Greedy picks the argmax of the full-recomputation distribution at every step.
        let logits = Tensor.withoutGrad {
            m.forward(tokens: prompts[0] + greedy[0].tokens, batch: 1, positions: (0..<10).map { Int32($0) })
        }
        for (i, tok) in greedy[0].tokens.enumerated() {
            let row = Array(logits.values[((3 + i) * c.vocab_size)..<((4 + i) * c.vocab_size)])
            #expect(row.firstIndex(of: row.max()!) == Int(tok))
        }
    }

    @Test func stopTokensAndStopStringsEndSequences() throws {
        let tok = ByteTokenizer()
        let c = LlamaConfig(
            vocab_size: tok.vocabularySize, hidden_size: 16, intermediate_size: 16, num_hidden_layers: 1,
            num_attention_heads: 2)
        let m = try Tiny.model(c, std: 1)
        let prompt = tok.encode("<|bos|>hi")
        var rng = Xoshiro256(seed: 2)
        let free = try m.generate(prompts: [prompt], config: SamplingConfig(temperature: 0, maxTokens: 10), rng: &rng)[
            0]
        // Stop on the third greedy token: generation must end right there, keeping it.
        let stop = free.tokens[2]
        let first = free.tokens.firstIndex(of: stop)!
        let stopped = try m.generate(
            prompts: [prompt], config: SamplingConfig(temperature: 0, maxTokens: 10, stopTokens: [stop]),
            rng: &rng, tokenizer: tok)[0]
        #expect(stopped.tokens == Array(free.tokens[...first]) && stopped.finishReason == .stop)
        // A stop string made of the decoded tokens 1…2 cuts the text after it.
        let text = tok.decode(Array(free.tokens[1...2]))
        let s = try m.generate(
            prompts: [prompt], config: SamplingConfig(temperature: 0, maxTokens: 10, stopStrings: [text]),
            rng: &rng, tokenizer: tok)[0]
        #expect(s.finishReason == .stop)
        #expect(s.text?.hasSuffix(text) == true)
        #expect(s.tokens.count <= 3)
        #expect(throws: TinyLMError.self) {
            try m.generate(prompts: [prompt], config: SamplingConfig(topP: 0), rng: &rng)
        }
        #expect(throws: TinyLMError.self) {
            try m.generate(prompts: [prompt], config: SamplingConfig(maxTokens: 5000), rng: &rng)
        }
    }
}
