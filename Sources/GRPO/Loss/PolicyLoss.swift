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
        let old = x.oldLogp ?? x.logp
        let counts = mask.map { $0.reduce(0, +) }
        let tokenCount = counts.reduce(0, +)
        var grad = mask.map { $0.map { _ in 0.0 } }
        var pgLoss = 0.0
        var low = 0.0, high = 0.0, region = 0.0, dual = 0.0

        switch config.importanceSampling {
        case .token:
            for i in mask.indices {
                for t in mask[i].indices where mask[i][t] != 0 {
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
                    let m = mask[i][t]
                    if s.lowClipped { low += m }
                    if s.highClipped { high += m }
                    if s.lowClipped || s.highClipped { region += m }
                    if s.dualClipped { dual += m }
                }
            }
            let denominator = config.normalizers == .verl ? tokenCount + 1e-8 : max(tokenCount, 1)
            (low, high, region, dual) = (low / denominator, high / denominator, region / denominator, dual / denominator)
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
            var clippedTokens = (low: 0.0, high: 0.0, region: 0.0, dual: 0.0)
            for i in mask.indices {
                let n = max(counts[i], 1)
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
                let row = (sur.lowClipped ? 1.0 : 0, sur.highClipped ? 1.0 : 0, sur.dualClipped ? 1.0 : 0)
                low += row.0
                high += row.1
                region += max(row.0, row.1)
                dual += row.2
                clippedTokens.low += row.0 * counts[i]
                clippedTokens.high += row.1 * counts[i]
                clippedTokens.region += max(row.0, row.1) * counts[i]
                clippedTokens.dual += row.2 * counts[i]
            }
            if config.normalizers == .trl {
                // TRL `masked_batch_mean` on a (B, 1) tensor: a plain mean over rows.
                let rows = Double(max(mask.count, 1))
                (low, high, region, dual) = (low / rows, high / rows, region / rows, dual / rows)
            } else {
                // verl `masked_mean` over the broadcast (B, T) indicator.
                let d = tokenCount + 1e-8
                (low, high, region, dual) = (
                    clippedTokens.low / d, clippedTokens.high / d, clippedTokens.region / d, clippedTokens.dual / d
                )
            }
        }

        var loss = pgLoss
        var klLoss: Double? = nil
        var klLogged: Double? = nil
        if let ref = x.refLogp {
            var kl = mask.map { $0.map { _ in 0.0 } }
            for i in mask.indices {
                for t in mask[i].indices where mask[i][t] != 0 {
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
            klLogged = logged(kl, aggregated: aggregated, mask: mask, tokenCount: tokenCount, config: config)
        }
        var entropyLoss: Double? = nil
        var entropyLogged: Double? = nil
        var gradEntropy: [[Double]]? = nil
        if let h = x.entropy {
            let aggregated = Aggregation.apply(w, h)
            entropyLoss = aggregated
            loss -= config.entropyCoef * aggregated
            entropyLogged = logged(h, aggregated: aggregated, mask: mask, tokenCount: tokenCount, config: config)
            gradEntropy = w.map { $0.map { -config.entropyCoef * $0 } }
        }
        return Result(
            loss: loss, pgLoss: pgLoss, klLoss: klLoss, entropyLoss: entropyLoss, kl: klLogged,
            entropy: entropyLogged, clipFraction: ClipFractions(low: low, high: high, region: region, dual: dual),
            gradLogp: grad, gradEntropy: gradEntropy)
    }

    /// TRL logs `(x * mask).sum() / mask.sum().clamp(min=1)`; verl logs `agg_loss(x)`.
    static func logged(
        _ x: [[Double]], aggregated: Double, mask: [[Double]], tokenCount: Double, config: GRPOConfig
    ) -> Double {
        guard config.normalizers == .trl else { return aggregated }
        var s = 0.0
        for i in mask.indices { for t in mask[i].indices where mask[i][t] != 0 { s += mask[i][t] * x[i][t] } }
        return s / max(tokenCount, 1)
    }
}
