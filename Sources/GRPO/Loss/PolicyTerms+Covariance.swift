import Foundation

extension PolicyTerms {
    /// verl `compute_policy_loss_kl_cov` and `compute_policy_loss_clip_cov` (verl-project/verl@1dda039b,
    /// verl/trainer/ppo/core_algos.py; arXiv:2505.22617): r = exp(logp − old) without a clamp, and the
    /// covariance of each valid token cov = (A − mean A)·(logp − mean logp) over the batch's valid tokens.
    ///
    /// - kl_cov: ℓ = −A·r; on the k = max(1, ⌊N·kl_cov_ratio⌋) valid tokens of largest cov (`torch.topk`; ties
    ///   to the earlier token) ℓ = −A·r + ppo_kl_coef·|logp − old|. Logs `ppo_kl` = masked mean of |logp − old|.
    /// - clip_cov: ℓ = max(−A·r, −A·clip(r, 1 − ε_low, 1 + ε_high)) with the gradient cut (corr = 0) on up to
    ///   max(1, ⌊clip_cov_ratio·N⌋) valid tokens whose branch is not already clipped and clip_cov_lb < cov <
    ///   clip_cov_ub (means here with verl's `masked_mean`, + 1e-8). verl draws them with `torch.randperm`; here the
    ///   earliest candidates (row-major) are taken, a deterministic draw of the same size. `pg_clipfrac` (our
    ///   `region`) is the masked mean of corr == 0.
    init(covariance x: PolicyLoss.Inputs, old: [[Double]], mask: [[Double]], config: GRPOConfig) {
        var plain = config
        plain.objective = .clip
        plain.importanceSampling = .token
        plain.logRatioClamp = nil
        plain.dualClip = nil
        plain.delta = nil
        if config.objective == .klCov {
            plain.epsilonLow = .infinity  // −A·r unclipped: clip(r, −∞, ∞) = r
            plain.epsilonHigh = .infinity
        }
        self.init(x, old: old, mask: mask, config: plain)
        (low, high, dual) = (zero(low), zero(high), zero(dual))
        var valid: [(i: Int, t: Int)] = []
        for i in mask.indices { for t in mask[i].indices where mask[i][t] > 0 { valid.append((i, t)) } }
        guard !valid.isEmpty else {
            region = zero(region)
            return
        }
        let n = Double(valid.count)
        if config.objective == .klCov {
            let meanA = valid.reduce(0) { $0 + x.advantage($1.i, $1.t) } / n
            let meanLogp = valid.reduce(0) { $0 + x.logp[$1.i][$1.t] } / n
            let cov = valid.map { (x.advantage($0.i, $0.t) - meanA) * (x.logp[$0.i][$0.t] - meanLogp) }
            let k = max(1, Int(n * config.klCovRatio))
            let order = cov.indices.sorted { cov[$0] != cov[$1] ? cov[$0] > cov[$1] : $0 < $1 }
            var absKL = 0.0
            for (i, t) in valid { absKL += abs(x.logp[i][t] - old[i][t]) }
            for j in order.prefix(k) {
                let (i, t) = valid[j]
                let d = x.logp[i][t] - old[i][t]
                loss[i][t] += config.ppoKLCoef * abs(d)
                direct[i][t] += config.ppoKLCoef * (d > 0 ? 1 : d < 0 ? -1 : 0)
            }
            region = zero(region)
            metrics = [("ppo_kl", absKL / (n + 1e-8))]
        } else {
            let meanA = valid.reduce(0) { $0 + x.advantage($1.i, $1.t) } / (n + 1e-8)
            let meanLogp = valid.reduce(0) { $0 + x.logp[$1.i][$1.t] } / (n + 1e-8)
            let clipNumber = max(Int(config.clipCovRatio * n), 1)
            var cut = 0
            for (i, t) in valid where cut < clipNumber && region[i][t] == 0 {
                let cov = (x.advantage(i, t) - meanA) * (x.logp[i][t] - meanLogp)
                if cov > config.clipCovLB && cov < config.clipCovUB {
                    (loss[i][t], direct[i][t]) = (0, 0)
                    cut += 1
                    region[i][t] = 2  // marked; reset below
                }
            }
            region = region.map { $0.map { $0 == 2 ? 1 : 0 } }
        }
    }

    private func zero(_ m: [[Double]]) -> [[Double]] { m.map { $0.map { _ in 0 } } }
}
