import Foundation
import Testing

@testable import GRPO

@Suite struct AdvantageTests {
    @Test func trlGroupOfFourUsesTheUnbiasedStdAndEpsilon1e4() throws {
        // rewards 1,0,1,0: mean 0.5, torch.std (n − 1) = sqrt(4 · 0.25 / 3) = sqrt(1/3).
        let a = try GroupAdvantages(rewards: [1, 0, 1, 0], groups: Groups(count: 4, size: 4), config: .trl)
        let s = (1.0 / 3).squareRoot()
        #expect(close(a.values, [0.5 / (s + 1e-4), -0.5 / (s + 1e-4), 0.5 / (s + 1e-4), -0.5 / (s + 1e-4)]))
        #expect(close(a.groupStd[0], s))
    }

    @Test func verlUsesEpsilon1e6AndGroupIds() throws {
        // Groups by id: "p" = rows 0, 2 (rewards 2, 0); "q" = rows 1, 3, 4 (rewards 1, 1, 4).
        let groups = Groups(ids: ["p", "q", "p", "q", "q"])
        let a = try GroupAdvantages(rewards: [2, 1, 0, 1, 4], groups: groups, config: .verl)
        let sp = 2.0.squareRoot()  // std of (2, 0), n − 1
        let sq = 3.0.squareRoot()  // mean 2, deviations −1, −1, 2: (1 + 1 + 4) / 2 = 3
        #expect(
            close(a.values, [1 / (sp + 1e-6), -1 / (sq + 1e-6), -1 / (sp + 1e-6), -1 / (sq + 1e-6), 2 / (sq + 1e-6)]))
    }

    @Test(arguments: [
        ("trl", 0.0),  // TRL: std of one generation is 0 and the mean is the reward: A = 0
        ("verl", 0.7 / (1 + 1e-6)),  // verl: mean 0, std 1
    ])
    func singletonGroups(preset: String, expected: Double) throws {
        let config = try #require(GRPOConfig.preset(named: preset))
        let a = try GroupAdvantages(rewards: [1, 0, 0.7], groups: Groups(ids: [1, 1, 2]), config: config)
        #expect(close(a.values[2], expected))
    }

    @Test func noScalingOnlyCentres() throws {
        let a = try GroupAdvantages(
            rewards: [3, 1, 2, 2], groups: Groups(count: 4, size: 2), config: .trl.with { $0.scaleRewards = .none })
        #expect(a.values == [1, -1, 0, 0])
    }

    @Test func batchScalingKeepsTheGroupMeanAndUsesTheBatchStd() throws {
        // TRL scale_rewards="batch": rewards − group mean, divided by rewards.std() over the whole batch.
        let r: [Double] = [1, 0, 1, 1]
        let a = try GroupAdvantages(
            rewards: r.map { $0 }, groups: Groups(count: 4, size: 2), config: .trl.with { $0.scaleRewards = .batch })
        let batchStd = (3 * 0.0625 + 0.5625) / 3  // mean 0.75
        let s = batchStd.squareRoot()
        #expect(close(a.values, [0.5 / (s + 1e-4), -0.5 / (s + 1e-4), 0, 0]))
    }

    @Test func excludedNullRewardsAreLeftOutOfTheirGroup() throws {
        // Scorable rewards of the group: 1, 0, 1 → mean 2/3, std sqrt(1/3); the null row gets A = 0, no loss.
        let a = try GroupAdvantages(
            rewards: [1, nil, 0, 1], groups: Groups(count: 4, size: 4), config: GRPOConfig())
        let s = (1.0 / 3).squareRoot()
        #expect(close(a.values, [(1.0 / 3) / (s + 1e-6), 0, (-2.0 / 3) / (s + 1e-6), (1.0 / 3) / (s + 1e-6)]))
        #expect(a.included == [true, false, true, true])
    }

    /// TRL since 2026 leaves an all-None completion out of its group's statistics with A = 0 (the other sample,
    /// alone, gets 0 too: its std is NaN); before, `nansum` counted it as reward 0 (`null_rewards: zero`).
    @Test func trlLeavesANullRewardOutWithAdvantageZero() throws {
        let a = try GroupAdvantages(rewards: [1, nil], groups: Groups(count: 2, size: 2), config: .trl)
        #expect(a.values == [0, 0])
        #expect(a.included == [true, true])
        let old = GRPOConfig.trl.with { $0.nullRewards = .zero }
        let b = try GroupAdvantages(rewards: [1, nil], groups: Groups(count: 2, size: 2), config: old)
        let c = try GroupAdvantages(rewards: [1, 0], groups: Groups(count: 2, size: 2), config: old)
        #expect(b.values == c.values && b.values[0] > 0)
    }

    @Test func badInputIsNamed() throws {
        #expect(throws: GRPOError("rewards[1] must be a finite number or null, got inf")) {
            try GroupAdvantages(rewards: [0, .infinity], groups: Groups(count: 2, size: 2), config: .trl)
        }
        #expect(throws: GRPOError("group_size 3 does not divide the number of rows 4")) {
            try Groups(count: 4, size: 3)
        }
        #expect(throws: GRPOError("rewards has 3 entries but the groups cover 4 rows")) {
            try GroupAdvantages(rewards: [0, 1, 0], groups: Groups(count: 4, size: 2), config: .trl)
        }
    }

    @Test func groupsByIdKeepFirstAppearanceOrder() {
        let g = Groups(ids: ["b", "a", "b", "c"])
        #expect(g.members == [[0, 2], [1], [3]])
        #expect(g.groupOfRow == [0, 1, 0, 2])
    }
}
