import Foundation
import Tensor
import Testing
import TinyLM

@Suite("LlamaModel")
struct ModelTests {
    @Test(arguments: Tiny.variants)
    func shapesAndParameterNames(_ v: Tiny.Variant) throws {
        let m = try LlamaModel(config: v.config, seed: 3)
        let c = v.config
        #expect(m.parameters.reduce(0) { $0 + $1.count } == c.parameterCount)
        let names = Set(m.namedParameters.map(\.0))
        #expect(names.contains("model.layers.0.self_attn.k_proj.weight"))
        #expect(names.contains("lm_head.weight") == !c.tie_word_embeddings)
        #expect(names.contains("model.layers.0.self_attn.q_proj.bias") == c.attention_bias)
        let batch = try TokenBatch([
            Tiny.ids(5, vocab: c.vocab_size, seed: 1), Tiny.ids(3, vocab: c.vocab_size, seed: 2),
        ])
        let logits = m.forward(tokens: batch.tokens, batch: 2, positions: batch.positions, keyValid: batch.keyValid)
        #expect(logits.shape == [2, 5, c.vocab_size])
        let (lp, ent) = try m.tokenLogProbs(batch, entropy: true)
        #expect(lp.shape == [2, 4] && ent?.shape == [2, 4])
        #expect(lp.values.allSatisfy { $0 <= 0 && $0.isFinite })
    }

    /// Finite differences through the whole model: loss = Σ masked token log-probs, checked along random
    /// directions over all parameters at once.
    @Test(arguments: Tiny.variants)
    func wholeModelGradientCheck(_ v: Tiny.Variant) throws {
        let m = try Tiny.model(v.config, std: 0.5)
        let batch = try TokenBatch([
            Tiny.ids(6, vocab: v.config.vocab_size, seed: 4),
            Tiny.ids(4, vocab: v.config.vocab_size, seed: 5),
        ])
        let mask = Tensor(shape: [2, 5], values: batch.targetMask.map { $0 ? 1 : 0 })
        let err = GradCheck.maxDirectionalError(m.parameters, directions: 4, eps: 3e-2) { _ in
            (try! m.tokenLogProbs(batch).logprobs * mask).sum()
        }
        print("whole-model gradcheck \(v.id): max relative error along 4 random directions \(err)")
        // ε = 0.03 balances float32 rounding (grows as ε shrinks) against truncation (grows as ε²).
        #expect(err < 2e-3)
    }

    /// Padding must not change the real positions' outputs: a padded batch equals each sequence alone.
    @Test(arguments: Tiny.variants)
    func paddedBatchEqualsSequencesAlone(_ v: Tiny.Variant) throws {
        let m = try Tiny.model(v.config)
        let seqs = [Tiny.ids(7, vocab: v.config.vocab_size, seed: 8), Tiny.ids(2, vocab: v.config.vocab_size, seed: 9)]
        let together = try m.logProbs(of: seqs)
        for (i, s) in seqs.enumerated() {
            let alone = try m.logProbs(of: [s])[0]
            #expect(zip(alone, together[i]).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
        }
    }

    @Test func targetMasksCoverRealAndCompletionTokens() throws {
        let batch = try TokenBatch([[5, 6, 7, 8], [9, 10]], pad: 0)
        #expect(batch.tokens == [5, 6, 7, 8, 9, 10, 0, 0])
        #expect(batch.keyValid == [true, true, true, true, true, true, false, false])
        #expect(batch.targetMask == [true, true, true, true, false, false])
        // Completions start at token 2 of row 0 and token 1 of row 1.
        #expect(batch.targetMask(from: [2, 1]) == [false, true, true, true, false, false])
    }

    @Test func cloneIsIndependent() throws {
        let m = try Tiny.model(Tiny.variants[2].config)
        let ref = try m.clone()
        let seq = [Tiny.ids(5, vocab: m.config.vocab_size, seed: 6)]
        #expect(try ref.logProbs(of: seq) == m.logProbs(of: seq))
        #expect(ref.parameters.allSatisfy { !$0.requiresGrad })
        m.embedTokens.data[0] += 1
        m.layers[0].qProj.data[3] -= 0.5
        #expect(try ref.logProbs(of: seq) != m.logProbs(of: seq), "changing the original leaves the copy alone")
    }

    @Test func badInputsThrowNamingTheValue() throws {
        let m = try LlamaModel(config: Tiny.variants[0].config, seed: 1)
        #expect(throws: TinyLMError.self) { try m.logProbs(of: [[1, 99]]) }
        #expect(throws: TinyLMError.self) { try m.logProbs(of: [[]]) }
        var bad = Tiny.variants[0].config
        bad.num_key_value_heads = 3
        #expect(throws: TinyLMError.self) { try LlamaModel(config: bad, seed: 1) }
        do { _ = try m.logProbs(of: [[1, 99]]) } catch { #expect("\(error)".contains("99")) }
    }
}
