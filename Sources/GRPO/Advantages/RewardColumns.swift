import Foundation

/// Rewards with one column per reward function (null = that function returned None), combined as TRL's
/// `_generate_and_score_completions` does (huggingface/trl@f2cd5771) by `multi_objective_aggregation`.
public enum RewardColumns {
    /// What the columns become: one reward per row (nil = every function returned None), and for
    /// `normalize_then_sum` the advantages themselves.
    public struct Combined: Sendable, Equatable {
        public var rewards: [Double?]
        public var advantages: [Double]?
    }

    /// - `sum_then_normalize`: `(rewards_per_func · reward_weights).nansum(dim=1)`; the group advantages follow.
    /// - `normalize_then_sum`: per group and column `(r − nanmean) / (nanstd + 1e-4)` (NaN for fewer than two
    ///   scored values, then dropped by the weighted `nansum`), and A = (x − nanmean(x)) / (nanstd(x) + 1e-4) over
    ///   the batch, NaN → 0. A row every function skipped follows `null_rewards` (left out, or 0 when `zero`).
    public static func combine(
        _ columns: [[Double?]], groups: Groups, config: GRPOConfig
    ) throws(GRPOError) -> Combined {
        let k = columns.first?.count ?? 1
        for (i, row) in columns.enumerated() where row.count != k {
            throw GRPOError("rewards[\(i)] has \(row.count) columns but rewards[0] has \(k)")
        }
        let weights = config.rewardWeights ?? Array(repeating: 1, count: k)
        guard weights.count == k else {
            throw GRPOError("config.reward_weights has \(weights.count) weights for \(k) reward columns")
        }
        let unscorable = columns.map { row in row.allSatisfy { $0 == nil } }
        switch config.multiObjectiveAggregation {
        case .sumThenNormalize:
            var rewards: [Double?] = []
            for (i, row) in columns.enumerated() {
                var sum = 0.0
                for (r, w) in zip(row, weights) { if let r { sum += r * w } }
                rewards.append(unscorable[i] ? nil : sum)
            }
            return Combined(rewards: rewards, advantages: nil)
        case .normalizeThenSum:
            var normalised = columns.map { $0.map { _ in Double.nan } }
            for rows in groups.members {
                for c in 0..<k {
                    let x = rows.compactMap { columns[$0][c] }
                    let (mean, std) = nanStatistics(x)
                    for i in rows { if let r = columns[i][c] { normalised[i][c] = (r - mean) / (std + 1e-4) } }
                }
            }
            var sums: [Double?] = []
            for row in normalised {
                var sum = 0.0
                for (r, w) in zip(row, weights) where !r.isNaN { sum += r * w }
                sums.append(sum)
            }
            for i in sums.indices where unscorable[i] { sums[i] = config.nullRewards == .zero ? 0 : nil }
            let (mean, std) = nanStatistics(sums.compactMap { $0 })
            let scale = sums.count > 1 ? std : 0
            let advantages = sums.map { s -> Double in
                guard let s else { return 0 }
                let a = (s - mean) / (scale + 1e-4)
                return a.isNaN ? 0 : a
            }
            return Combined(rewards: sums, advantages: advantages)
        }
    }

    /// `torch.nanmean` and TRL `nanstd` of the scored values: std is NaN for fewer than two.
    static func nanStatistics(_ x: [Double]) -> (mean: Double, std: Double) {
        guard !x.isEmpty else { return (.nan, .nan) }
        let mean = x.reduce(0, +) / Double(x.count)
        guard x.count > 1 else { return (mean, .nan) }
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
        return (mean, variance.squareRoot())
    }
}
