/// DAPO dynamic sampling (arXiv:2503.14476 §3.2; verl recipe/dapo `fit`): generate batches of groups, drop the
/// groups whose rewards are all equal, and keep generating until `targetGroups` are kept; the batch is then cut
/// to exactly `targetGroups` (verl: `batch[:traj_bsz]`). After `maxGenerationBatches` batches (0 = no limit)
/// it throws, as verl does, or returns what it has (`Exhaustion.partial`).
///
/// With dynamic sampling off, one batch is generated and kept whole; uninformative groups are still counted.
public struct DynamicSampler: Sendable {
    public var enabled: Bool
    public var targetGroups: Int
    public var maxGenerationBatches: Int
    public var onExhaustion: GRPOConfig.Exhaustion

    public init(enabled: Bool, targetGroups: Int, maxGenerationBatches: Int, onExhaustion: GRPOConfig.Exhaustion) {
        self.enabled = enabled
        self.targetGroups = targetGroups
        self.maxGenerationBatches = maxGenerationBatches
        self.onExhaustion = onExhaustion
    }

    public init(config: GRPOConfig, targetGroups: Int) {
        self.init(
            enabled: config.dynamicSampling, targetGroups: targetGroups,
            maxGenerationBatches: config.maxGenerationBatches, onExhaustion: config.onExhaustion)
    }

    /// What one fill produced.
    public struct Outcome<Group> {
        /// The groups to train on: `targetGroups` of them unless the batch is partial.
        public var groups: [Group]
        /// Groups generated over all batches.
        public var generated: Int
        /// Groups whose rewards were all equal (dropped when dynamic sampling is on).
        public var uninformative: Int
        /// Generation batches used.
        public var batches: Int
        /// True when fewer than `targetGroups` groups are returned.
        public var partial: Bool
        /// The `groups/filtered` metric: uninformative / generated (0 when nothing was generated).
        public var filteredFraction: Double { generated == 0 ? 0 : Double(uninformative) / Double(generated) }
    }

    /// Runs the refill loop.
    /// - Parameters:
    ///   - generate: produces the groups of generation batch `n` (0, 1, ...), rewards already scored.
    ///   - rewards: the rewards of a group (nil = unscorable).
    public func fill<Group>(
        generate: (Int) async throws -> [Group], rewards: (Group) -> [Double?]
    ) async throws -> Outcome<Group> {
        guard targetGroups >= 1 else {
            throw GRPOError("the number of groups per batch must be at least 1, got \(targetGroups)")
        }
        guard maxGenerationBatches >= 0 else {
            throw GRPOError("max_generation_batches must be 0 (no limit) or more, got \(maxGenerationBatches)")
        }
        var out = Outcome<Group>(groups: [], generated: 0, uninformative: 0, batches: 0, partial: false)
        while true {
            let batch = try await generate(out.batches)
            out.batches += 1
            guard !batch.isEmpty else { throw GRPOError("generation batch \(out.batches - 1) returned no groups") }
            out.generated += batch.count
            let (kept, dropped) = GroupFilter.filter(batch, rewards: rewards)
            out.uninformative += dropped
            guard enabled else {
                out.groups = batch
                return out
            }
            out.groups += kept
            if out.groups.count >= targetGroups {
                out.groups.removeLast(out.groups.count - targetGroups)
                return out
            }
            if maxGenerationBatches > 0, out.batches >= maxGenerationBatches {
                switch onExhaustion {
                case .partial:
                    out.partial = true
                    return out
                case .error:
                    throw GRPOError(
                        "dynamic sampling kept \(out.groups.count) of \(targetGroups) groups after \(out.batches) "
                            + "generation batches (max_generation_batches \(maxGenerationBatches)): "
                            + "\(out.uninformative) of \(out.generated) groups had all-equal rewards; the prompts "
                            + "may be too easy or too hard")
                }
            }
        }
    }
}

extension DynamicSampler.Outcome: Sendable where Group: Sendable {}
