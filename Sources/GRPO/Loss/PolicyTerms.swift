import Foundation

/// The policy-gradient term ℓ[i][t] of every position before aggregation, with its derivatives.
///
/// ℓ[i][t] depends on log π through the token's own log-prob and, for sequence-level ratios, through the row's
/// sequence log-ratio s_i = Σ_u m·(logp − old) / max(n_i, 1) (clamped above by `sequence_log_ratio_max`), so
///
///     d Σ W·ℓ / d logp[i][u] = W[i][u]·direct[i][u] + (Σ_t W[i][t]·throughSequence[i][t]) · ds_i/dlogp[i][u].
///
/// Each objective follows one function: clip (TRL `_compute_loss`, verl `compute_policy_loss_vanilla` / `_gspo`),
/// sapo / trl_cispo / vespo (TRL `_compute_loss`, `get_gamma_weights`, huggingface/trl@f2cd5771), cispo (verl
/// `compute_policy_loss_cispo`, verl-project/verl@1dda039b); kl_cov and clip_cov are in `CovariancePolicyTerms`.
/// Quantities verl and TRL detach (`.detach()`, `torch.no_grad`) pass no gradient here either.
struct PolicyTerms {
    var loss: [[Double]]
    /// ∂ℓ[i][t] / ∂logp[i][t] through the token's own log-prob.
    var direct: [[Double]]
    /// ∂ℓ[i][t] / ∂s_i (0 for token-level ratios).
    var throughSequence: [[Double]]
    /// ds_i / dlogp[i][u] (0 for token-level ratios).
    var sequenceDirection: [[Double]]
    /// Clip indicators per position (1 = clipped), for `ClipFractions`.
    var low: [[Double]]
    var high: [[Double]]
    var region: [[Double]]
    var dual: [[Double]]
    /// Library-specific metrics by the library's name (`cispo_clip_ratio`, `vespo/phi_seq_mean`, `ppo_kl`).
    var metrics: [(String, Double)] = []

    init(zeros: [[Double]]) {
        (loss, direct, throughSequence, sequenceDirection) = (zeros, zeros, zeros, zeros)
        (low, high, region, dual) = (zeros, zeros, zeros, zeros)
    }

    /// The importance ratio at one position: its value and derivatives by the token and by s_i.
    struct Ratio {
        var r: Double
        var dLogp: Double
        var dSequence: Double
    }

    /// Computes the terms of the objectives that depend on a ratio (`clip`, `sapo`, `trl_cispo`, `vespo`, `cispo`).
    init(_ x: PolicyLoss.Inputs, old: [[Double]], mask: [[Double]], config: GRPOConfig) {
        self.init(zeros: mask.map { $0.map { _ in 0.0 } })
        var surrogateConfig = config
        if config.normalizers == .verl, config.importanceSampling == .sequence {
            surrogateConfig.dualClip = nil  // compute_policy_loss_gspo has no dual clip
        }
        let sequenceLevel = config.importanceSampling == .sequence && config.objective != .cispo
        for i in mask.indices {
            var s = 0.0
            var ds = 0.0
            if sequenceLevel {
                let n = max(mask[i].reduce(0, +), 1)
                for t in mask[i].indices where mask[i][t] != 0 { s += mask[i][t] * (x.logp[i][t] - old[i][t]) }
                s /= n
                ds = 1
                if let c = config.sequenceLogRatioMax, s > c { (s, ds) = (c, 0) }
                for t in mask[i].indices { sequenceDirection[i][t] = ds * mask[i][t] / n }
            }
            for t in mask[i].indices {
                let ratio: Ratio
                if sequenceLevel, config.normalizers == .verl {
                    // verl `compute_policy_loss_gspo`: log r_t = log π_t − sg(log π_t) + sg(s_i), so each token's
                    // gradient flows through its own log-prob only (the same as TRL's when A is one per row).
                    let r = Foundation.exp(s)
                    ratio = Ratio(r: r, dLogp: r * ds, dSequence: 0)
                } else if sequenceLevel {
                    let r = Foundation.exp(s)
                    ratio = Ratio(r: r, dLogp: 0, dSequence: r)
                } else {
                    var logRatio = x.logp[i][t] - old[i][t]
                    var d = 1.0
                    if let c = config.logRatioClamp, abs(logRatio) > c { (logRatio, d) = (logRatio > 0 ? c : -c, 0) }
                    let r = Foundation.exp(logRatio)
                    ratio = Ratio(r: r, dLogp: r * d, dSequence: 0)
                }
                term(i, t, ratio, x, old: old, mask: mask, config: surrogateConfig)
            }
        }
    }

    private mutating func term(
        _ i: Int, _ t: Int, _ ratio: Ratio, _ x: PolicyLoss.Inputs, old: [[Double]], mask: [[Double]],
        config: GRPOConfig
    ) {
        let a = x.advantage(i, t)
        let r = ratio.r
        let logp = x.logp[i][t]
        func ratioDerivative(_ dLoss: Double) {
            direct[i][t] = dLoss * ratio.dLogp
            throughSequence[i][t] = dLoss * ratio.dSequence
        }
        switch config.objective {
        case .clip, .klCov, .clipCov:
            let s = ClippedSurrogate(ratio: r, advantage: a, config: config)
            loss[i][t] = s.loss
            ratioDerivative(s.dRatio)
            (low[i][t], high[i][t]) = (s.lowClipped ? 1 : 0, s.highClipped ? 1 : 0)
            region[i][t] = max(low[i][t], high[i][t])
            dual[i][t] = s.dualClipped ? 1 : 0
        case .sapo:
            // soft_coef_1 = sigmoid(τ(coef_1 − 1))·4/τ, per_token_loss = −soft_coef_1·A; τ by `advantages > 0`.
            let tau = a > 0 ? config.sapoTemperaturePos : config.sapoTemperatureNeg
            let sigma = 1 / (1 + Foundation.exp(-tau * (r - 1)))
            loss[i][t] = -sigma * 4 / tau * a
            ratioDerivative(-4 * a * sigma * (1 - sigma))
        case .trlCISPO:
            // clamped_ratios = clamp(coef_1, max=epsilon_high).detach(); −clamped·A·per_token_logps.
            let c = min(r, config.epsilonHigh)
            loss[i][t] = -c * a * logp
            direct[i][t] = -c * a
            high[i][t] = (r > config.epsilonHigh && a > 0) ? 1 : 0
        case .cispo:
            // clipped_ratio_sg = clamp(ratio, 1 − low, 1 + high).detach(); −clipped·A·log_prob.
            let c = min(max(r, 1 - config.epsilonLow), 1 + config.epsilonHigh)
            loss[i][t] = -c * a * logp
            direct[i][t] = -c * a
            region[i][t] = r != c ? 1 : 0
        case .vespo:
            let phi = Self.vespoWeight(row: i, advantage: a, x, old: old, mask: mask, config: config)
            loss[i][t] = -phi * a * logp
            direct[i][t] = -phi * a
            high[i][t] = phi  // reported as vespo/phi_seq_mean
        }
    }

    /// TRL `get_gamma_weights`: φ(w) = exp(λ + k·log w − λ·w) with log w = clamp(Σ_t m·clamp(log r, −20, 20),
    /// log 1e-8, 20) (a sum, not a mean), (k, λ) = (k_pos, λ_pos) when A ≥ 0 else (k_neg, λ_neg), λ ≥ 1e-4;
    /// NaN and ±inf become 0.
    static func vespoWeight(
        row i: Int, advantage a: Double, _ x: PolicyLoss.Inputs, old: [[Double]], mask: [[Double]],
        config: GRPOConfig
    ) -> Double {
        var sum = 0.0
        for t in mask[i].indices { sum += min(max(x.logp[i][t] - old[i][t], -20), 20) * mask[i][t] }
        let logW = min(max(sum, Foundation.log(1e-8)), 20)
        let k = a >= 0 ? config.vespoKPos : config.vespoKNeg
        let lambda = max(a >= 0 ? config.vespoLambdaPos : config.vespoLambdaNeg, 1e-4)
        let phi = Foundation.exp(lambda + k * logW - lambda * Foundation.exp(logW))
        return phi.isFinite ? phi : 0
    }
}
