import Foundation

/// The GRPO objective on one batch and its gradient with respect to the per-token log-probs (and entropies).
///
/// The objective depends on the model only through logp[i][t] = log π(y_t | x, y_<t) and, for the entropy bonus,
/// H[i][t]; so the loss and d loss / d logp are computed here in `Double`, and a trainer seeds the model's
/// backward pass with `gradLogp` (and `gradEntropy`). With W the aggregation weights (`Aggregation`):
///
///     loss = Σ W·ℓ_pg + β·Σ W·KL − c_H·Σ W_H·H
///
/// ℓ_pg is the config's `PolicyObjective` (`PolicyTerms`): by default `ClippedSurrogate` of the ratio
/// r = exp(logp − old_logp) per token, or of GSPO's r_i = exp(Σ_t m·(logp − old_logp) / max(n_i, 1)) per sequence
/// broadcast over its tokens (TRL `importance_sampling_level="sequence"`; verl `compute_policy_loss_gspo` has the
/// same value, and the same gradient when A is one per row — with token-level advantages verl's gradient of each
/// token flows through its own log-prob only, see `PolicyTerms`). W_H = W for verl; TRL's entropy bonus is a masked
/// token mean.
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
        /// One advantage per row (broadcast over its tokens); empty when `tokenAdvantages` are given.
        public var advantages: [Double]
        /// One advantage per token (token-level estimators: REINFORCE++, GAE); nil = `advantages` per row.
        public var tokenAdvantages: [[Double]]?
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

        /// Inputs with one advantage per token.
        public init(
            logp: [[Double]], oldLogp: [[Double]]? = nil, refLogp: [[Double]]? = nil, mask: [[Double]],
            entropy: [[Double]]? = nil, tokenAdvantages: [[Double]], included: [Bool]? = nil
        ) {
            self.init(
                logp: logp, oldLogp: oldLogp, refLogp: refLogp, mask: mask, entropy: entropy, advantages: [],
                included: included)
            self.tokenAdvantages = tokenAdvantages
        }

        var advantagesPerRow: Bool { tokenAdvantages == nil }

        func advantage(_ i: Int, _ t: Int) -> Double { tokenAdvantages?[i][t] ?? advantages[i] }
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
        /// The objective's own metrics by the library's name (`cispo_clip_ratio`, `vespo/phi_seq_mean`, `ppo_kl`).
        public var metrics: [(String, Double)]
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
        let old = x.oldLogp ?? x.logp
        let terms =
            [.klCov, .clipCov].contains(config.objective)
            ? PolicyTerms(covariance: x, old: old, mask: mask, config: config)
            : PolicyTerms(x, old: old, mask: mask, config: config)
        // verl `compute_policy_loss_gspo` aggregates its policy part as seq-mean-token-mean whatever the actor's
        // loss_agg_mode (which still applies to KL and entropy).
        var pgWeights = w
        if config.normalizers == .verl, config.importanceSampling == .sequence, config.objective == .clip {
            var gspo = config
            gspo.lossAggregation = .seqMeanTokenMean
            pgWeights = Aggregation.weights(mask: mask, config: gspo)
        }
        var grad = mask.map { $0.map { _ in 0.0 } }
        let pgLoss = Aggregation.apply(pgWeights, terms.loss)
        for i in mask.indices {
            var sequence = 0.0
            for t in mask[i].indices { sequence += pgWeights[i][t] * terms.throughSequence[i][t] }
            for t in mask[i].indices {
                grad[i][t] = pgWeights[i][t] * terms.direct[i][t] + sequence * terms.sequenceDirection[i][t]
            }
        }
        let (clipFraction, metrics) = report(terms, x, mask: mask, metric: metric, config: config)

        var loss = pgLoss
        var klLoss: Double? = nil
        var klLogged: Double? = nil
        if let ref = x.refLogp {
            var kl = mask.map { $0.map { _ in 0.0 } }
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
            // TRL's entropy bonus is the masked token mean whatever the loss type; verl aggregates it as the loss.
            let we = config.normalizers == .trl ? Aggregation.tokenMeanWeights(mask: mask) : w
            let aggregated = Aggregation.apply(we, h)
            entropyLoss = aggregated
            loss -= config.entropyCoef * aggregated
            entropyLogged = config.normalizers == .trl ? metric.tokenMean(h) : aggregated
            gradEntropy = we.map { $0.map { -config.entropyCoef * $0 } }
        }
        return Result(
            loss: loss, pgLoss: pgLoss, klLoss: klLoss, entropyLoss: entropyLoss, kl: klLogged,
            entropy: entropyLogged, clipFraction: clipFraction, metrics: metrics, gradLogp: grad,
            gradEntropy: gradEntropy)
    }

    /// The clip fractions and the objective's own metrics, averaged as each library logs them: TRL's
    /// `global_masked_mean` takes a plain row mean of a per-row tensor (sequence-level ratio and per-row advantages).
    static func report(
        _ terms: PolicyTerms, _ x: Inputs, mask: [[Double]], metric: Metric, config: GRPOConfig
    ) -> (ClipFractions, [(String, Double)]) {
        let perRow =
            config.importanceSampling == .sequence && x.advantagesPerRow && config.normalizers == .trl
            && [.clip, .trlCISPO].contains(config.objective)
        func mean(_ m: [[Double]]) -> Double {
            perRow ? metric.rowMean(m.map { $0.first ?? 0 }) : metric.tokenMean(m)
        }
        var metrics = terms.metrics
        switch config.objective {
        case .trlCISPO:
            metrics.append(("cispo_clip_ratio", mean(terms.high)))
            return (ClipFractions(low: 0, high: 0, region: 0, dual: 0), metrics)
        case .vespo:
            let phi =
                x.advantagesPerRow ? metric.rowMean(terms.high.map { $0.first ?? 0 }) : metric.tokenMean(terms.high)
            metrics.append(("vespo/phi_seq_mean", phi))
            return (ClipFractions(low: 0, high: 0, region: 0, dual: 0), metrics)
        case .sapo:
            return (ClipFractions(low: 0, high: 0, region: 0, dual: 0), metrics)
        case .clip, .cispo, .klCov, .clipCov:
            return (
                ClipFractions(
                    low: mean(terms.low), high: mean(terms.high), region: mean(terms.region), dual: mean(terms.dual)),
                metrics
            )
        }
    }
}
