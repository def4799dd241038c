/// Group-relative advantages: A_i = (r_i − mean_g) / (std_g + ε), one per sample.
///
/// TRL `GRPOTrainer._generate_and_score_completions` and verl `core_algos.compute_grpo_outcome_advantage`
/// (see `GRPOConfig.trl` / `.verl`). The std is the unbiased one (`torch.std`, n − 1) in both libraries.
public struct GroupAdvantages: Sendable, Equatable {
    /// A_i, one per row; 0 for rows left out.
    public var values: [Double]
    /// Whether each row takes part in the loss (false for an unscorable reward under `NullRewards.exclude`; true
    /// under `zeroAdvantage`, where it has A = 0).
    public var included: [Bool]
    /// Mean of each group's scorable rewards (as used: 0 for a verl-style singleton).
    public var groupMean: [Double]
    /// Std of each group's scorable rewards (unbiased; 0 for fewer than two, 1 for a verl-style singleton).
    public var groupStd: [Double]

    /// - Parameters:
    ///   - rewards: one per row; nil = could not be scored.
    ///   - groups: the partition of rows into prompt groups (`groups.rowCount == rewards.count`).
    public init(rewards: [Double?], groups: Groups, config: GRPOConfig) throws(GRPOError) {
        guard groups.rowCount == rewards.count else {
            throw GRPOError("rewards has \(rewards.count) entries but the groups cover \(groups.rowCount) rows")
        }
        for (i, r) in rewards.enumerated() where r.map({ !$0.isFinite }) ?? false {
            throw GRPOError("rewards[\(i)] must be a finite number or null, got \(r!)")
        }
        let value: [Double?] = rewards.map { r in r ?? (config.nullRewards == .zero ? 0 : nil) }
        included = value.map { $0 != nil || config.nullRewards == .zeroAdvantage }
        groupMean = []
        groupStd = []
        for rows in groups.members {
            let scored = rows.compactMap { value[$0] }
            if scored.count == 1, config.singletonGroups == .rawReward {
                groupMean.append(0)  // verl: id2mean = 0, id2std = 1 for a group of one
                groupStd.append(1)
            } else {
                groupMean.append(Self.mean(scored))
                groupStd.append(Self.unbiasedStd(scored))
            }
        }
        let batchStd = Self.unbiasedStd(value.compactMap { $0 })
        values = [Double](repeating: 0, count: value.count)
        for (i, r) in value.enumerated() {
            guard let r else { continue }
            let g = groups.groupOfRow[i]
            let centred = r - groupMean[g]
            switch config.scaleRewards {
            case .none: values[i] = centred
            case .group: values[i] = centred / (groupStd[g] + config.advantageEpsilon)
            case .batch: values[i] = centred / (batchStd + config.advantageEpsilon)
            }
        }
    }

    static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count)
    }

    /// `torch.std` (Bessel's correction); 0 for fewer than two values, as TRL sets for one generation.
    static func unbiasedStd(_ x: [Double]) -> Double {
        guard x.count >= 2 else { return 0 }
        let m = mean(x)
        let ss = x.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (ss / Double(x.count - 1)).squareRoot()
    }
}
