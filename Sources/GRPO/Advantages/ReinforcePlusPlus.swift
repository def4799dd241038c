/// REINFORCE++ (arXiv:2501.03262) as verl computes it (verl-project/verl@1dda039b, core_algos.py).
public enum ReinforcePlusPlus {
    /// `compute_reinforce_plus_plus_outcome_advantage`: G_t = r_t + γ·G_{t+1} on valid tokens, returns G·m; on a
    /// masked token the running return is carried through unchanged (PR #7300: before it was reset, so rewards
    /// did not cross observation spans); advantages = masked_whiten(returns)·m.
    public static func advantages(
        tokenRewards r: [[Double]], mask: [[Double]], gamma: Double
    ) throws(GRPOError) -> (advantages: [[Double]], returns: [[Double]]) {
        var returns = mask.map { $0.map { _ in 0.0 } }
        for i in mask.indices {
            var running = 0.0
            for t in mask[i].indices.reversed() {
                let next = r[i][t] + gamma * running
                let m = mask[i][t]
                returns[i][t] = next * m
                running = next * m + running * (1 - m)
            }
        }
        let white = try Whitening.masked(returns, mask: mask, what: "reinforce_plus_plus")
        return (zip(white, mask).map { zip($0, $1).map { $0 * $1 } }, returns)
    }

    /// `compute_reinforce_plus_plus_baseline_outcome_advantage`: s_i − mean of its group (a group of one: mean 0),
    /// broadcast over the row's valid tokens, then masked_whiten·m; returns = advantages. Unscorable rows (nil) are
    /// left out of their group's mean; the caller masks them out.
    public static func baselineAdvantages(
        scores: [Double?], groups: Groups, mask: [[Double]]
    ) throws(GRPOError) -> [[Double]] {
        var centred = [Double](repeating: 0, count: scores.count)
        for rows in groups.members {
            let scored = rows.filter { scores[$0] != nil }
            let mean = scored.count > 1 ? scored.reduce(0) { $0 + scores[$1]! } / Double(scored.count) : 0
            for i in scored { centred[i] = scores[i]! - mean }
        }
        let tiled = mask.indices.map { i in mask[i].map { centred[i] * $0 } }
        let white = try Whitening.masked(tiled, mask: mask, what: "reinforce_plus_plus_baseline")
        return zip(white, mask).map { zip($0, $1).map { $0 * $1 } }
    }
}
