/// verl `compute_rloo_outcome_advantage` (verl-project/verl@1dda039b; arXiv:2402.14740): with n scored samples in
/// the group and mean μ, A_i = (n·s_i − n·μ) / (n − 1) = s_i − mean of the others; a group of one keeps A = s.
/// Unscorable rows (nil) are left out of their group and get A = 0.
public enum RLOO {
    public static func advantages(scores: [Double?], groups: Groups) -> [Double] {
        var out = [Double](repeating: 0, count: scores.count)
        for rows in groups.members {
            let scored = rows.filter { scores[$0] != nil }
            let n = Double(scored.count)
            let mean = scored.reduce(0) { $0 + scores[$1]! } / max(n, 1)
            for i in scored {
                out[i] = n > 1 ? scores[i]! * n / (n - 1) - mean * n / (n - 1) : scores[i]!
            }
        }
        return out
    }
}
