import Foundation
import Testing

@testable import GRPO

/// The named policy losses and the value loss on hand-worked cases (formulas: TRL `_compute_loss` at
/// huggingface/trl@f2cd5771, verl `core_algos.py` at verl-project/verl@1dda039b).
@Suite struct ObjectiveTests {
    static func loss(
        _ config: GRPOConfig, logp: [[Double]], old: [[Double]]? = nil, mask: [[Double]]? = nil, advantages: [Double]
    ) throws -> PolicyLoss.Result {
        try PolicyLoss.compute(
            .init(logp: logp, oldLogp: old, mask: mask ?? logp.map { $0.map { _ in 1 } }, advantages: advantages),
            config: config)
    }

    /// r = e^0.5 ≈ 1.6487 on one token with A = 2 and log π = −1. TRL cispo caps the ratio at ε_high = 1.2 (an
    /// absolute cap), verl cispo clips it to [1 − 0.2, 1 + 0.2]: both give −1.2·2·(−1) = 2.4 here, with gradient
    /// −2.4 by the log-prob alone (the ratio is detached). At ε_high = 5 they part: TRL keeps r, verl 1.2.
    @Test func cispoOfTRLAndOfVerlAreDifferentFormulas() throws {
        let trl = GRPOConfig.trl.with {
            $0.objective = .trlCISPO
            $0.epsilonHigh = 1.2
        }
        let verl = GRPOConfig.verl.with { $0.objective = .cispo }
        for config in [trl, verl] {
            let r = try Self.loss(config, logp: [[-1]], old: [[-1.5]], advantages: [2])
            #expect(close(r.loss, 2.4) && close(r.gradLogp[0][0], -2.4))
        }
        #expect(try Self.loss(trl, logp: [[-1]], old: [[-1.5]], advantages: [2]).metrics.first!.1 == 1)
        let wide = try Self.loss(trl.with { $0.epsilonHigh = 5 }, logp: [[-1]], old: [[-1.5]], advantages: [2])
        #expect(close(wide.loss, exp(0.5) * 2))
        let verlWide = try Self.loss(verl.with { $0.epsilonHigh = 5 }, logp: [[-1]], old: [[-1.5]], advantages: [2])
        #expect(close(verlWide.loss, exp(0.5) * 2) && verlWide.clipFraction.region == 0)
    }

    /// SAPO at r = 1: σ(0) = ½, so the token loss is −2A/τ and d/dr = −4A·σ(1 − σ) = −A.
    @Test func sapoIsASoftGate() throws {
        let config = GRPOConfig.trl.with {
            $0.objective = .sapo
            $0.lossAggregation = .seqMeanTokenMean
        }
        let r = try Self.loss(config, logp: [[-1], [-2]], advantages: [1, -1])
        #expect(close(r.loss, (-2 + 2 / 1.05) / 2))
        #expect(close(r.gradLogp[0][0], -0.5) && close(r.gradLogp[1][0], 0.5))
    }

    /// VESPO: log w = Σ_t (log π − log π_old) = 0.3, A = 1 ≥ 0 → φ = exp(3 + 2·0.3 − 3·e^0.3); the token loss is
    /// −φ·A·log π, token-mean over the 2 tokens; φ is detached.
    @Test func vespoWeightsBySequenceRatio() throws {
        let config = GRPOConfig.trl.with { $0.objective = .vespo }
        let r = try Self.loss(config, logp: [[-1, -2]], old: [[-1.1, -2.2]], advantages: [1])
        let phi = exp(3 + 2 * 0.3 - 3 * exp(0.3))
        #expect(close(r.loss, -phi * (-1 - 2) / 2, 1e-12))
        #expect(close(r.gradLogp[0], [-phi / 2, -phi / 2]))
        #expect(close(r.metrics.first { $0.0 == "vespo/phi_seq_mean" }!.1, phi))
    }

    /// LUSPO with sequence ratios at r = 1 and β = 0: mean over rows of (−A_i)·n_i.
    @Test func luspoScalesEachSequenceByItsLength() throws {
        let config = GRPOConfig.trl.with {
            $0.lossAggregation = .luspo
            $0.importanceSampling = .sequence
        }
        let r = try Self.loss(config, logp: [[-1, -1], [-1, -1]], mask: [[1, 1], [1, 0]], advantages: [1, 3])
        #expect(close(r.loss, (-1 * 2 - 3 * 1) / 2))
    }

    /// kl_cov: k = max(1, ⌊N·ratio⌋) tokens of largest (A − Ā)(log π − mean log π) get ppo_kl_coef·|log r| added.
    @Test func klCovPenalisesTheTokensOfLargestCovariance() throws {
        let config = GRPOConfig.verl.with {
            $0.objective = .klCov
            $0.klCovRatio = 0.4
            $0.ppoKLCoef = 1
        }
        // A = [1, −1, 1], Ā = 1/3; log π = [−1, −2, −3], mean −2: cov = [2/3, 0, −2/3]; k = ⌊3·0.4⌋ = 1: token 0.
        let r = try Self.loss(config, logp: [[-1], [-2], [-3]], old: [[-1.5], [-2], [-3]], advantages: [1, -1, 1])
        let ratio0 = exp(0.5)
        #expect(close(r.loss, (-ratio0 + 0.5 + 1 - 1) / 3))
        #expect(close(r.gradLogp[0][0], (-ratio0 + 1) / 3))
    }

    /// The clipped value loss on both sides of the clip (old value 0.5, value_clip 0.2): outside the clip with the
    /// clipped error larger, the gradient is 0; with the unclipped error larger, it is (v − R) per token.
    @Test func valueLossClipsBothSides() throws {
        let config = GRPOConfig.verl.with { $0.valueClip = 0.2 }
        let above = try ValueLoss(values: [[1.0]], oldValues: [[0.5]], returns: [[2]], mask: [[1]], config: config)
        // verl's masked_mean divides by the count + 1e-8.
        #expect(close(above.loss, 0.5 * 1.69) && close(above.clipFraction, 1, 1e-7) && above.gradValues == [[0]])
        let below = try ValueLoss(values: [[0.1]], oldValues: [[0.5]], returns: [[1]], mask: [[1]], config: config)
        #expect(close(below.loss, 0.5 * 0.81) && below.clipFraction == 0 && close(below.gradValues[0][0], -0.9))
        let clippedBelow = try ValueLoss(
            values: [[0.1]], oldValues: [[0.5]], returns: [[0]], mask: [[1]], config: config)
        #expect(close(clippedBelow.loss, 0.5 * 0.09) && clippedBelow.gradValues == [[0]])
    }
}
