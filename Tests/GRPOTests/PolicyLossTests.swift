import Foundation
import Testing

@testable import GRPO

@Suite struct PolicyLossTests {
    /// Row 0 (A = 1) has ratios 1.5 and 1.1; row 1 (A = −1) has ratio 0.5 and a masked token.
    static func workedInputs() -> PolicyLoss.Inputs {
        let logp: [[Double]] = [[-1, -2], [-0.5, -3]]
        let old: [[Double]] = [[-1 - log(1.5), -2 - log(1.1)], [-0.5 - log(0.5), -3]]
        return PolicyLoss.Inputs(
            logp: logp, oldLogp: old, refLogp: logp.map { $0.map { $0 - 0.2 } }, mask: [[1, 1], [1, 0]],
            entropy: [[1, 2], [3, 9]], advantages: [1, -1])
    }

    @Test func workedExampleDAPOTokenMean() throws {
        // Clip interval [0.8, 1.28]. Token losses: −1.28 (clipped high), −1.1, +0.8 (clipped low); N = 3.
        // k1 KL = 0.2 per token, β = 0.1; entropy mean (1 + 2 + 3) / 3 = 2, coefficient 0.01.
        let config = GRPOConfig().with {
            $0.beta = 0.1
            $0.klEstimator = .k1
            $0.entropyCoef = 0.01
        }
        let r = try PolicyLoss.compute(Self.workedInputs(), config: config)
        let pg: Double = (-1.28 - 1.1 + 0.8) / 3
        let expected: Double = pg + 0.1 * 0.2 - 0.01 * 2
        #expect(close(r.pgLoss, pg))
        #expect(close(r.klLoss!, 0.2))
        #expect(close(r.entropyLoss!, 2))
        #expect(close(r.loss, expected))
        #expect(close(r.clipFraction.low, 1.0 / 3))
        #expect(close(r.clipFraction.high, 1.0 / 3))
        #expect(close(r.clipFraction.region, 2.0 / 3))
        // d/dlogp: only the unclipped token carries the surrogate's gradient −A·r / N; k1 adds β / N.
        #expect(close(r.gradLogp[0], [0.1 / 3, -1.1 / 3 + 0.1 / 3]))
        #expect(close(r.gradLogp[1], [0.1 / 3, 0]))
        #expect(close(r.gradEntropy![0], [-0.01 / 3, -0.01 / 3]))
        #expect(close(r.gradEntropy![1], [-0.01 / 3, 0]))
    }

    @Test func workedExampleSequenceRatio() throws {
        // GSPO: row 0 ratio sqrt(1.5 · 1.1) ≈ 1.2845 > 1.28 → clipped; row 1 ratio 0.5 → clipped at 0.8.
        // Widen ε_high to 0.3 so row 0 is inside: loss −sqrt(1.65) on both of its tokens.
        let config = GRPOConfig().with {
            $0.importanceSampling = .sequence
            $0.epsilonHigh = 0.3
        }
        let r = try PolicyLoss.compute(Self.workedInputs(), config: config)
        let r0 = (1.5 * 1.1).squareRoot()
        let pg: Double = (2 * -r0 + 0.8) / 3
        #expect(close(r.pgLoss, pg))
        // d/dlogp_t = (row weight 2/3) · (−A) · r · (1 / n = 1/2).
        #expect(close(r.gradLogp[0], [-r0 / 3, -r0 / 3]))
        #expect(r.gradLogp[1] == [0, 0])
        // TRL logs sequence-level clip ratios per row: row 1 is low-clipped.
        #expect(r.clipFraction.low == 0.5 && r.clipFraction.region == 0.5)
    }

    @Test func missingOldLogProbsMeanRatioOneWithGradient() throws {
        var a = Self.workedInputs()
        a.oldLogp = nil
        var b = a
        b.oldLogp = a.logp
        let config = GRPOConfig.trl.with { $0.beta = 0.04 }
        let ra = try PolicyLoss.compute(a, config: config)
        let rb = try PolicyLoss.compute(b, config: config)
        #expect(ra.loss == rb.loss)
        #expect(ra.gradLogp == rb.gradLogp)
        #expect(ra.gradLogp[0][0] != 0)
    }

    @Test func excludedRowsLeaveTheLossAndItsNormaliser() throws {
        var x = Self.workedInputs()
        x.included = [true, false]
        let r = try PolicyLoss.compute(x, config: GRPOConfig())
        let pg: Double = (-1.28 - 1.1) / 2
        #expect(close(r.pgLoss, pg))
        #expect(r.gradLogp[1] == [0, 0])
    }

    /// Every combination of aggregation, normalisers, ratio level and KL estimator, with dual clip, δ and
    /// the entropy bonus: gradLogp equals central differences of the loss.
    static let gradientConfigs: [GRPOConfig] = {
        var out: [GRPOConfig] = []
        for mode in GRPOConfig.LossAggregation.allCases {
            for norm in GRPOConfig.Normalizers.allCases {
                for level in GRPOConfig.ImportanceSampling.allCases {
                    for kl in GRPOConfig.KLEstimator.allCases {
                        let base: GRPOConfig = norm == .trl ? .trl : .verl
                        out.append(
                            base.with {
                                $0.lossAggregation = mode
                                $0.importanceSampling = level
                                $0.klEstimator = kl
                                $0.beta = 0.05
                                $0.entropyCoef = 0.01
                                $0.epsilonHigh = 0.28
                                $0.maxCompletionLength = 7
                                if norm == .trl { $0.delta = 1.6 } else { $0.dualClip = 1.4 }
                            })
                    }
                }
            }
        }
        return out
    }()

    @Test func gradientMatchesFiniteDifferences() throws {
        var rng = SplitMix(seed: 7)
        for (k, config) in Self.gradientConfigs.enumerated() {
            let rows = 4
            let lengths = [5, 3, 0, 4]
            let logp = (0..<rows).map { i in (0..<lengths[i]).map { _ in -Double.random(in: 0.05...3, using: &rng) } }
            let old = logp.map { $0.map { $0 + Double.random(in: -0.5...0.5, using: &rng) } }
            let ref = logp.map { $0.map { $0 + Double.random(in: -0.5...0.5, using: &rng) } }
            let mask = logp.map { row in row.indices.map { t in t == 2 ? 0.0 : 1.0 } }
            let entropy = logp.map { $0.map { _ in Double.random(in: 0...2, using: &rng) } }
            let adv = (0..<rows).map { _ in Double.random(in: -2...2, using: &rng) }
            func inputs(_ lp: [[Double]]) -> PolicyLoss.Inputs {
                .init(logp: lp, oldLogp: old, refLogp: ref, mask: mask, entropy: entropy, advantages: adv)
            }
            let r = try PolicyLoss.compute(inputs(logp), config: config)
            let h = 1e-6
            for i in 0..<rows {
                for t in 0..<lengths[i] {
                    var up = logp
                    var down = logp
                    up[i][t] += h
                    down[i][t] -= h
                    let fd =
                        (try PolicyLoss.compute(inputs(up), config: config).loss
                            - PolicyLoss.compute(inputs(down), config: config).loss) / (2 * h)
                    #expect(
                        abs(fd - r.gradLogp[i][t]) < 1e-7, "config \(k) [\(i)][\(t)]: fd \(fd) vs \(r.gradLogp[i][t])")
                }
            }
            // The loss is linear in the entropies.
            var e2 = entropy
            e2[0][0] += 1
            var x2 = inputs(logp)
            x2.entropy = e2
            #expect(close(try PolicyLoss.compute(x2, config: config).loss - r.loss, r.gradEntropy![0][0], 1e-9))
        }
    }

    static let badCases: [(String, String)] = [
        ("beta without ref", "config.beta is 0.1 but ref_logp is missing (set beta to 0 to train without a reference)"),
        ("ragged logp", "logp[1] has 1 tokens but mask[1] has 2"),
        ("mask value", "mask[0][1] must be 0 or 1, got 0.5"),
        ("advantage count", "advantages has 1 entries but mask has 2 rows"),
        ("dual clip", "config.dual_clip must be greater than 1 (verl asserts it), got 0.9"),
        ("entropy without entropies", "config.entropy_coef is 0.01 but no entropies were given (logits)"),
    ]

    @Test(arguments: badCases)
    func badInputsAreNamed(id: String, message: String) {
        var x = Self.workedInputs()
        var config = GRPOConfig()
        switch id {
        case "beta without ref":
            config.beta = 0.1
            x.refLogp = nil
        case "ragged logp": x.logp[1] = [-1]
        case "mask value": x.mask[0][1] = 0.5
        case "advantage count": x.advantages = [1]
        case "dual clip": config.dualClip = 0.9
        default:
            config.entropyCoef = 0.01
            x.entropy = nil
        }
        #expect(throws: GRPOError(message)) { try PolicyLoss.compute(x, config: config) }
    }

    @Test func entropyFromLogits() {
        #expect(close(TokenEntropy.fromLogits([3, 3, 3, 3], temperature: 1), log(4.0)))
        // p = softmax([0, ln 3] / 1) = (1/4, 3/4): H = −(¼ ln ¼ + ¾ ln ¾).
        #expect(close(TokenEntropy.fromLogits([0, log(3.0)], temperature: 1), -(0.25 * log(0.25) + 0.75 * log(0.75))))
        // Temperature 2 halves the logits.
        #expect(
            close(TokenEntropy.fromLogits([0, 2 * log(3.0)], temperature: 2), -(0.25 * log(0.25) + 0.75 * log(0.75))))
    }
}
