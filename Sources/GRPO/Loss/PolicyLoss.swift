import Foundation

/// The GRPO objective on one batch and its gradient with respect to the per-token log-probs (and entropies).
///
/// The objective depends on the model only through logp[i][t] = log π(y_t | x, y_<t) and, for the entropy bonus,
/// H[i][t]; so the loss and d loss / d logp are computed here in `Double`, and a trainer seeds the model's
/// backward pass with `gradLogp` (and `gradEntropy`). With W the aggregation weights (`Aggregation`):
///
///     loss = Σ W·ℓ_pg + β·Σ W·KL − c_H·Σ W·H
///
/// ℓ_pg is `ClippedSurrogate` of the ratio r = exp(logp − old_logp) per token, or of GSPO's
/// r_i = exp(Σ_t m·(logp − old_logp) / max(n_i, 1)) per sequence broadcast over its tokens (TRL
/// `importance_sampling_level="sequence"`; verl `compute_policy_loss_gspo` has the same value and gradient).
public enum PolicyLoss {
    /// Inputs of one batch. Every matrix has one row per sample and one entry per completion token; rows may
    /// differ in length (a missing entry is padding), but within a row all matrices have the mask's length.
    public struct Inputs: Sendable {
        /// log π_θ of the sampled tokens, at the current parameters.
        public var logp: [[Double]]
        /// log π_old of the same tokens (from generation); nil = equal to `logp`, i.e. r = 1 (TRL, μ = 1).
        public var oldLogp: [[Double]]?
        /// log π_ref of the same tokens; needed when β ≠ 0.
        public var refLogp: [[Double]]?
        /// 1 for completion tokens that count, 0 for padding (and masked truncated completions).
        public var mask: [[Double]]
        /// Entropy of π_θ at each position (temperature applied); needed when the entropy coefficient ≠ 0.
        public var entropy: [[Double]]?
        /// One advantage per row.
        public var advantages: [Double]
        /// Rows that take part (false: left out entirely, as for unscorable rewards). nil = all.
        public var included: [Bool]?

        public init(
            logp: [[Double]], oldLogp: [[Double]]? = nil, refLogp: [[Double]]? = nil, mask: [[Double]],
            entropy: [[Double]]? = nil, advantages: [Double], included: [Bool]? = nil
        ) {
            self.logp = logp
            self.oldLogp = oldLogp
            self.refLogp = refLogp
            self.mask = mask
            self.entropy = entropy
            self.advantages = advantages
            self.included = included
        }
    }

    /// Fractions of clipped tokens (TRL `clip_ratio/*`, verl `pg_clipfrac_lower`).
    public struct ClipFractions: Sendable, Equatable {
        /// Ratio below 1 − ε_low with A < 0.
        public var low: Double
        /// Ratio above 1 + ε_high with A > 0.
        public var high: Double
        /// Either (= verl `pg_clipfrac`).
        public var region: Double
        /// Dual-clipped (verl `pg_clipfrac_lower`).
        public var dual: Double
    }

    /// The loss, its parts, the logged metrics and the gradient seeds.
    public struct Result: Sendable {
        /// The objective minimised.
        public var loss: Double
        /// Σ W·ℓ_pg, the clipped-surrogate part.
        public var pgLoss: Double
        /// Σ W·KL, the KL term before β (nil without reference log-probs).
        public var klLoss: Double?
        /// Σ W·H, the entropy term before its coefficient (nil without entropies).
        public var entropyLoss: Double?
        /// The KL the library logs: masked token mean for TRL, the aggregated term for verl.
        public var kl: Double?
        /// The entropy the library logs (same convention as `kl`).
        public var entropy: Double?
        public var clipFraction: ClipFractions
        /// d loss / d logp[i][t], shaped like the inputs (0 where masked).
        public var gradLogp: [[Double]]
        /// d loss / d H[i][t] = −c_H·W[i][t] (nil without entropies).
        public var gradEntropy: [[Double]]?
    }

    public static func compute(_ x: Inputs, config: GRPOConfig) throws(GRPOError) -> Result {
        try validate(x, config: config)
        let mask: [[Double]] = x.mask.indices.map { i in
            (x.included?[i] ?? true) ? x.mask[i] : x.mask[i].map { _ in 0 }
        }
        let w = Aggregation.weights(mask: mask, config: config)
        let metric = Metric(mask: mask, normalizers: config.normalizers)
        let zeros = mask.map { $0.map { _ in 0.0 } }
        let old = x.oldLogp ?? x.logp
        var grad = zeros
        var pgLoss = 0.0
        // Clip indicators at every position (TRL computes them on the padded tensor too).
        var low = zeros
        var high = zeros
        var region = zeros
        var dual = zeros
        let clipFraction: ClipFractions

        switch config.importanceSampling {
        case .token:
            for i in mask.indices {
                for t in mask[i].indices {
                    var logRatio = x.logp[i][t] - old[i][t]
                    var dLogRatio = 1.0
                    if let c = config.logRatioClamp, abs(logRatio) > c {
                        logRatio = logRatio > 0 ? c : -c
                        dLogRatio = 0
                    }
                    let r = Foundation.exp(logRatio)
                    let s = ClippedSurrogate(ratio: r, advantage: x.advantages[i], config: config)
                    pgLoss += w[i][t] * s.loss
                    grad[i][t] = w[i][t] * s.dRatio * r * dLogRatio
                    (low[i][t], high[i][t]) = (s.lowClipped ? 1 : 0, s.highClipped ? 1 : 0)
                    region[i][t] = max(low[i][t], high[i][t])
                    dual[i][t] = s.dualClipped ? 1 : 0
                }
            }
            clipFraction = ClipFractions(
                low: metric.tokenMean(low), high: metric.tokenMean(high), region: metric.tokenMean(region),
                dual: metric.tokenMean(dual))
        case .sequence:
            // verl `compute_policy_loss_gspo` has no dual clip and aggregates its policy part as
            // seq-mean-token-mean whatever the actor's loss_agg_mode (which still applies to KL and entropy).
            var surrogateConfig = config
            var pgWeights = w
            if config.normalizers == .verl {
                surrogateConfig.dualClip = nil
                surrogateConfig.lossAggregation = .seqMeanTokenMean
                pgWeights = Aggregation.weights(mask: mask, config: surrogateConfig)
            }
            var rowLow: [Double] = []
            var rowHigh: [Double] = []
            var rowDual: [Double] = []
            for i in mask.indices {
                let n = max(mask[i].reduce(0, +), 1)
                var s = 0.0
                for t in mask[i].indices where mask[i][t] != 0 { s += mask[i][t] * (x.logp[i][t] - old[i][t]) }
                s /= n
                var ds = 1.0
                if let c = config.sequenceLogRatioMax, s > c {
                    s = c
                    ds = 0
                }
                let r = Foundation.exp(s)
                let sur = ClippedSurrogate(ratio: r, advantage: x.advantages[i], config: surrogateConfig)
                let rowWeight = pgWeights[i].reduce(0, +)
                pgLoss += rowWeight * sur.loss
                for t in mask[i].indices where mask[i][t] != 0 {
                    grad[i][t] = rowWeight * sur.dRatio * r * ds * mask[i][t] / n
                }
                rowLow.append(sur.lowClipped ? 1 : 0)
                rowHigh.append(sur.highClipped ? 1 : 0)
                rowDual.append(sur.dualClipped ? 1 : 0)
            }
            let rowRegion = zip(rowLow, rowHigh).map { max($0, $1) }
            clipFraction = ClipFractions(
                low: metric.rowMean(rowLow), high: metric.rowMean(rowHigh), region: metric.rowMean(rowRegion),
                dual: metric.rowMean(rowDual))
        }

        var loss = pgLoss
        var klLoss: Double? = nil
        var klLogged: Double? = nil
        if let ref = x.refLogp {
            var kl = zeros
            for i in mask.indices {
                for t in mask[i].indices {
                    let k = config.klEstimator.evaluate(
                        logp: x.logp[i][t], ref: ref[i][t], logRatioClamp: config.logRatioClamp,
                        klClamp: config.klClamp)
                    kl[i][t] = k.value
                    grad[i][t] += config.beta * w[i][t] * k.dLogp
                }
            }
            let aggregated = Aggregation.apply(w, kl)
            klLoss = aggregated
            loss += config.beta * aggregated
            klLogged = config.normalizers == .trl ? metric.tokenMean(kl) : aggregated
        }
        var entropyLoss: Double? = nil
        var entropyLogged: Double? = nil
        var gradEntropy: [[Double]]? = nil
        if let h = x.entropy {
            let aggregated = Aggregation.apply(w, h)
            entropyLoss = aggregated
            loss -= config.entropyCoef * aggregated
            entropyLogged = config.normalizers == .trl ? metric.tokenMean(h) : aggregated
            gradEntropy = w.map { $0.map { -config.entropyCoef * $0 } }
        }
        return Result(
            loss: loss, pgLoss: pgLoss, klLoss: klLoss, entropyLoss: entropyLoss, kl: klLogged,
            entropy: entropyLogged, clipFraction: clipFraction, gradLogp: grad, gradEntropy: gradEntropy)
    }
}
