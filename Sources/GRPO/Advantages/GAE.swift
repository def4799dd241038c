/// Generalised advantage estimation (arXiv:1506.02438) as verl's `compute_gae_advantage_return`
/// (verl-project/verl@1dda039b, core_algos.py), per row from its last token back:
///
///     δ_t = r_t + γ·V_next − V_t,   A_t = δ_t + γλ·A_next
///     V_next ← V_t·m_t + V_next·(1 − m_t),   A_next ← A_t·m_t + A_next·(1 − m_t)
///
/// so a masked token neither contributes its TD error nor its value and passes the next ones through; the value
/// at a masked position is the carried A_next. returns = A + V (before whitening); advantages = masked_whiten(A)
/// over the batch. V are the critic's values at rollout time (verl `data.batch["values"]`).
/// With γ = λ = 1 and the reward on the last token, A_t + V_t is the reward at every valid token (return − value);
/// with λ = 0, A_t is the one-step TD error.
public enum GAE {
    public static func advantages(
        tokenRewards r: [[Double]], values v: [[Double]], mask: [[Double]], gamma: Double, lam: Double
    ) throws(GRPOError) -> (advantages: [[Double]], returns: [[Double]]) {
        var raw = mask.map { $0.map { _ in 0.0 } }
        for i in mask.indices {
            var nextValue = 0.0
            var lastAdvantage = 0.0
            for t in mask[i].indices.reversed() {
                let delta = r[i][t] + gamma * nextValue - v[i][t]
                let advantage = delta + gamma * lam * lastAdvantage
                let m = mask[i][t]
                nextValue = v[i][t] * m + (1 - m) * nextValue
                lastAdvantage = advantage * m + (1 - m) * lastAdvantage
                raw[i][t] = lastAdvantage
            }
        }
        let returns = zip(raw, v).map { zip($0, $1).map { $0 + $1 } }
        return (try Whitening.masked(raw, mask: mask, what: "gae"), returns)
    }
}
