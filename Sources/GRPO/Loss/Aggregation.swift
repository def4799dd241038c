/// Loss aggregation as weights: for every mode agg(L) = Σ_{i,t} W[i][t]·L[i][t], linear in the per-token loss,
/// so d agg / d L[i][t] = W[i][t].
///
/// With n_i = Σ_t m[i][t], N = Σ_i n_i, B rows, B' rows with n_i > 0 and L_max (max_completion_length, or the
/// longest row):
///
/// | mode | TRL (`_compute_loss`) | verl (`agg_loss`) |
/// | --- | --- | --- |
/// | token-mean | m / max(N, 1) (bnpo; dapo) | m / N |
/// | seq-mean-token-mean | m / (B · max(n_i, 1)) (grpo) | m / (B' · (n_i + 1e-8)) |
/// | seq-mean-token-sum | m / B | m / B' |
/// | seq-mean-token-sum-norm | m / (B · L_max) (dr_grpo) | m / (B' · L_max) |
/// | luspo | n_i / (B · T) at every position, mask or not (TRL `(per_token_loss · mask.sum(1)).mean()`) | — |
///
/// verl's seq-mean-token-sum-norm is its `agg_loss` since PRs #5366 / #5417 (verl-project/verl@1dda039b): the
/// sequence sums are averaged over the non-empty rows, then divided by `loss_scale_factor` (the mask's columns by
/// default); before February 2026 the total was divided by L_max alone. TRL's luspo weights every position of the
/// padded [B, T] tensor (T = the widest row), so its KL term, and under token-level ratios its policy term, also
/// count padding; with sequence-level ratios and β = 0 the per-row loss times n_i / B is the same number.
/// An empty batch (N = 0) has all weights 0 (verl would divide by zero); luspo then still weights padding.
public enum Aggregation {
    /// W, shaped like `mask` (rows may have different lengths).
    public static func weights(mask: [[Double]], config: GRPOConfig) -> [[Double]] {
        let rows = Double(mask.count)
        let counts = mask.map { $0.reduce(0, +) }
        let total = counts.reduce(0, +)
        let nonEmpty = Double(counts.filter { $0 > 0 }.count)
        let maxLength = Double(config.maxCompletionLength ?? (mask.map(\.count).max() ?? 0))
        if config.lossAggregation == .luspo {
            let width = Double(mask.map(\.count).max() ?? 0)
            return mask.indices.map { i in mask[i].map { _ in counts[i] / (rows * width) } }
        }
        guard total > 0 else { return mask.map { $0.map { _ in 0 } } }
        let verl = config.normalizers == .verl
        return mask.indices.map { i in
            let scale: Double
            switch config.lossAggregation {
            case .tokenMean:
                scale = 1 / max(total, 1)
            case .seqMeanTokenMean:
                scale = verl ? 1 / (nonEmpty * (counts[i] + 1e-8)) : 1 / (rows * max(counts[i], 1))
            case .seqMeanTokenSum:
                scale = verl ? 1 / nonEmpty : 1 / rows
            case .seqMeanTokenSumNorm:
                scale = verl ? 1 / (nonEmpty * maxLength) : 1 / (rows * maxLength)
            case .luspo:
                scale = 0  // handled above
            }
            return mask[i].map { $0 * scale }
        }
    }

    /// The weights of a masked token mean, m / max(N, 1): TRL's entropy bonus whatever the loss type
    /// (`(entropies · mask).sum() / mask.sum().clamp(min=1)`, or `/ num_items_in_batch` for dapo, cispo, vespo).
    public static func tokenMeanWeights(mask: [[Double]]) -> [[Double]] {
        let total = max(mask.reduce(0) { $0 + $1.reduce(0, +) }, 1)
        return mask.map { $0.map { $0 / total } }
    }

    /// Σ W·x over the batch.
    static func apply(_ w: [[Double]], _ x: [[Double]]) -> Double {
        var s = 0.0
        for i in w.indices { for t in w[i].indices where w[i][t] != 0 { s += w[i][t] * x[i][t] } }
        return s
    }
}
