/// How each library averages a logged per-token or per-row quantity over the batch.
///
/// TRL `_compute_loss.masked_batch_mean(x)`: `x.mean()` when `x.shape[1] == 1` (a per-row tensor under sequence
/// importance sampling — and also a per-token tensor when completions have exactly one token column, masked
/// rows included), otherwise `(x * mask).sum() / mask.sum().clamp(min=1)`. verl `masked_mean(x, mask)`:
/// `(x * mask).sum() / (mask.sum() + 1e-8)` on the (broadcast) per-token tensor.
struct Metric {
    var mask: [[Double]]
    var normalizers: GRPOConfig.Normalizers

    private var tokenCount: Double { mask.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Mean of a rows × tokens quantity.
    func tokenMean(_ x: [[Double]]) -> Double {
        if normalizers == .trl, !mask.isEmpty, mask.allSatisfy({ $0.count == 1 }) {
            return x.reduce(0) { $0 + $1[0] } / Double(x.count)
        }
        var s = 0.0
        for i in mask.indices { for t in mask[i].indices where mask[i][t] != 0 { s += mask[i][t] * x[i][t] } }
        return normalizers == .trl ? s / max(tokenCount, 1) : s / (tokenCount + 1e-8)
    }

    /// Mean of a per-row quantity (sequence importance sampling): over rows for TRL, over the row broadcast to
    /// its tokens for verl.
    func rowMean(_ x: [Double]) -> Double {
        switch normalizers {
        case .trl:
            return x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count)
        case .verl:
            let broadcast = mask.indices.map { i in mask[i].map { _ in x[i] } }
            return tokenMean(broadcast)
        }
    }
}
