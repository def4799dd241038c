/// DAPO's dynamic-sampling test: does a group carry a learning signal?
///
/// verl recipe/dapo/dapo_ray_trainer.py (`filter_groups`) keeps a prompt when `np.std(metric_vals) > 0` or the
/// group has one sample. Here "std > 0" is tested exactly as "not all equal", so rounding in the mean cannot
/// keep a group of identical rewards. Unscorable (nil) rewards are left out of the comparison; a group with
/// no scorable reward is dropped.
public enum GroupFilter {
    /// True when the group has exactly one sample, or two scorable rewards that differ.
    public static func isInformative(_ rewards: [Double?]) -> Bool {
        if rewards.count == 1 { return rewards[0] != nil }
        let scored = rewards.compactMap { $0 }
        guard let first = scored.first else { return false }
        return scored.contains { $0 != first }
    }

    /// The informative groups, in order, and how many were dropped.
    public static func filter<G>(_ groups: [G], rewards: (G) -> [Double?]) -> (kept: [G], dropped: Int) {
        let kept = groups.filter { isInformative(rewards($0)) }
        return (kept, groups.count - kept.count)
    }
}
