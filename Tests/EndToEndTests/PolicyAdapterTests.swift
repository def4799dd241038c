import Foundation
import GRPO
import Tensor
import Testing
import TinyLM

@testable import grpo

/// The TinyLM ↔ GRPO.Policy adapter on a tiny random model.
@Suite struct PolicyAdapterTests {
    static func policy() throws -> TinyLMPolicy {
        let config = LlamaConfig(
            vocab_size: 12, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2,
            max_position_embeddings: 64, tie_word_embeddings: true, initializer_range: 0.5)
        return TinyLMPolicy(
            model: try LlamaModel(config: config, seed: 3), eos: 11, seed: 9,
            schedule: try LRSchedule(peak: 0, totalSteps: 1), weightDecay: 0, maxGradNorm: 0)
    }

    @Test func sampledLogProbsAreTheScoredOnes() throws {
        var p = try Self.policy()
        let groups = try p.generate(prompts: [[1, 2, 3], [4, 5]], count: 3, maxTokens: 5, temperature: 0.7)
        let rollouts = groups.flatMap { $0 }
        #expect(rollouts.count == 6)
        #expect(rollouts.allSatisfy { !$0.tokens.isEmpty && $0.tokens.count <= 5 })
        #expect(rollouts.allSatisfy { $0.truncated == ($0.tokens.last != 11) })
        let scored = try p.score(rollouts, temperature: 0.7, entropies: true)
        for (r, lp) in zip(rollouts, scored.logProbs) {
            #expect(lp.count == r.tokens.count)
            for (a, b) in zip(lp, r.logProbs) { #expect(abs(a - b) < 1e-4, "\(lp) vs \(r.logProbs)") }
        }
        #expect(scored.entropies!.joined().allSatisfy { $0 > 0 && $0 <= log(12.0) + 1e-4 })
    }

    /// d/dh of Σ seed·logp + Σ seed_H·H at θ + h·d equals Σ grad·d from the adapter's backward pass.
    @Test(arguments: [(true, false), (false, true), (true, true)])
    func gradientSeedsMatchAFiniteDifference(useLogProbs: Bool, useEntropy: Bool) throws {
        var p = try Self.policy()
        let rollouts = try p.generate(prompts: [[1, 2, 3], [4, 5, 6, 7]], count: 2, maxTokens: 4, temperature: 1)
            .flatMap { $0 }
        var rng = Xoshiro256(seed: 5)
        let seedLP = rollouts.map { r in r.tokens.map { _ in useLogProbs ? Double(rng.nextNormalPair().0) : 0 } }
        let seedH = rollouts.map { r in r.tokens.map { _ in useEntropy ? Double(rng.nextNormalPair().0) : 0 } }
        func objective() throws -> Double {
            let s = try p.score(rollouts, temperature: 0.8, entropies: true)
            var total = 0.0
            for i in rollouts.indices {
                for t in s.logProbs[i].indices {
                    total += seedLP[i][t] * s.logProbs[i][t] + seedH[i][t] * s.entropies![i][t]
                }
            }
            return total
        }
        let params = p.model.parameters
        p.optimizer.zeroGrad()
        let loss = try p.surrogate(rollouts, temperature: 0.8, gradLogProbs: seedLP, gradEntropies: seedH)
        #expect(abs(Double(loss.item) - (try objective())) < 1e-4 * max(1, abs(Double(loss.item))))
        loss.backward()
        let direction = params.map { t in (0..<t.count).map { _ in Float(rng.nextNormalPair().0) } }
        var analytic = 0.0
        for (t, d) in zip(params, direction) {
            let g = t.grad ?? [Float](repeating: 0, count: t.count)
            for j in 0..<t.count { analytic += Double(g[j]) * Double(d[j]) }
        }
        // Central difference at h = 1e-3 (float32 weights): measured agreement ~2e-4 relative.
        for h: Float in [1e-3] {
            func shift(_ s: Float) {
                for (t, d) in zip(params, direction) { for j in 0..<t.count { t.data[j] += s * d[j] } }
            }
            shift(h)
            let plus = try objective()
            shift(-2 * h)
            let minus = try objective()
            shift(h)
            let numeric = (plus - minus) / (2 * Double(h))
            #expect(abs(numeric - analytic) <= 5e-3 * max(1, abs(analytic)), "numeric \(numeric) analytic \(analytic)")
        }
    }

    @Test func snapshotRestoresParametersOptimizerAndRNG() throws {
        var p = try Self.policy()
        p.schedule = try LRSchedule(peak: 0.01, totalSteps: 10)
        let snap = p.snapshot()
        let rollouts = try p.generate(prompts: [[1, 2]], count: 2, maxTokens: 3, temperature: 1)[0]
        try p.step(
            rollouts, temperature: 1, gradLogProbs: rollouts.map { $0.tokens.map { _ in -1 } }, gradEntropies: nil)
        #expect(p.optimizer.step == 1)
        p.restore(snap)
        #expect(p.optimizer.step == 0)
        #expect(p.model.parameters.map(\.values) == snap.parameters)
        #expect(try p.generate(prompts: [[1, 2]], count: 2, maxTokens: 3, temperature: 1)[0] == rollouts)
    }
}
