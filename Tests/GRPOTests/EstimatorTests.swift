import Foundation
import Testing

@testable import GRPO

/// The advantage estimators against worked examples: verl's own regression tests where they exist
/// (tests/trainer/ppo/test_reinforce_pp_multiturn_on_cpu.py, PR #7300) and hand-worked cases.
@Suite struct EstimatorTests {
    /// verl PR #7300 `test_gamma_discount_across_observation_span`: γ = 0.5, mask [1, 1, 0, 0, 1], reward 2 on the
    /// last token: returns [0.5, 1, 0, 0, 2] (observations skipped, not discounted).
    @Test func reinforcePlusPlusCarriesTheReturnAcrossMaskedSpans() throws {
        let (_, returns) = try ReinforcePlusPlus.advantages(
            tokenRewards: [[0, 0, 0, 0, 2], [0, 0, 1, 0, 0]], mask: [[1, 1, 0, 0, 1], [1, 1, 1, 0, 0]], gamma: 0.5)
        #expect(returns[0] == [0.5, 1, 0, 0, 2])
        #expect(returns[1] == [0.25, 0.5, 1, 0, 0])
    }

    /// verl PR #7300 `test_observation_span_does_not_block_returns`: inserting masked tokens does not change the
    /// valid tokens' returns (γ = 1: every valid token sees the reward).
    @Test func observationTokensDoNotChangeValidReturns() throws {
        let compact = try ReinforcePlusPlus.advantages(tokenRewards: [[0, 0, 0, 1]], mask: [[1, 1, 1, 1]], gamma: 1)
        let expanded = try ReinforcePlusPlus.advantages(
            tokenRewards: [[0, 0, 0, 0, 0, 1]], mask: [[1, 1, 0, 0, 1, 1]], gamma: 1)
        #expect(compact.returns[0] == [1, 1, 1, 1])
        #expect(expanded.returns[0] == [1, 1, 0, 0, 1, 1])
    }

    /// masked_whiten: mean 0 and unbiased variance 1 over the valid tokens; masked positions are shifted too.
    @Test func whiteningIsOverTheBatchsValidTokens() throws {
        let w = try Whitening.masked([[1, 2, 9], [3, 7, 7]], mask: [[1, 1, 0], [1, 0, 0]], what: "test")
        // valid 1, 2, 3: mean 2, unbiased variance 1.
        #expect(close(w[0][0], -1, 1e-7) && close(w[1][0], 1, 1e-7))
        #expect(close(w[0][2], 7, 1e-7))
        #expect(throws: GRPOError.self) { try Whitening.masked([[1, 2]], mask: [[1, 0]], what: "gae") }
    }

    /// GAE with γ = λ = 1 and the reward on the last token: the raw advantage is return − value at every valid
    /// token (issue 20); with λ = 0 it is the TD error r_t + γ·V_{t+1} − V_t.
    @Test func gaeReducesToReturnMinusValueAndToTheTDError() throws {
        let v: [[Double]] = [[0.5, -0.25, 2, 7]]
        let mask: [[Double]] = [[1, 1, 1, 0]]
        let r: [[Double]] = [[0, 0, 3, 0]]
        let one = try GAE.advantages(tokenRewards: r, values: v, mask: mask, gamma: 1, lam: 1)
        #expect(one.returns[0].prefix(3) == [3, 3, 3])
        let td = try GAE.advantages(tokenRewards: r, values: v, mask: mask, gamma: 0.9, lam: 0)
        // raw A = returns − V: [0.9·(−0.25) − 0.5, 0.9·2 + 0.25, 3 − 2]
        let raw = zip(td.returns[0], v[0]).map { $0 - $1 }
        #expect(close(Array(raw.prefix(3)), [0.9 * -0.25 - 0.5, 0.9 * 2 + 0.25, 1]))
        // The masked last position carries the next advantage (0 after the end) and its own value.
        #expect(td.returns[0][3] == 7)
    }

    /// RLOO: A_i = s_i − mean of the other samples of its group; a group of one keeps its score.
    @Test func rlooIsTheLeaveOneOutBaseline() throws {
        let a = RLOO.advantages(scores: [1, 0, 0, 1, 5, nil, 2], groups: Groups(ids: [0, 0, 0, 0, 1, 2, 2]))
        #expect(close(a[0], 1 - 1.0 / 3) && close(a[1], 0 - 2.0 / 3))
        #expect(a[4] == 5)  // alone in its group
        #expect(a[5] == 0 && a[6] == 2)  // the unscorable row leaves group 2 with one member
    }

    /// The reward sits on the last valid token; KL in the reward is subtracted per valid token (verl
    /// `apply_kl_penalty`: k1 of the old log-probs against the reference).
    @Test func tokenRewardsPlaceTheRewardAndTheKLPenalty() throws {
        let config = GRPOConfig.verl.with {
            $0.klInReward = 0.5
            $0.klEstimator = .k1
        }
        let t = try TokenRewards(
            rewards: [1, 2], mask: [[1, 1, 0], [1, 0, 1]], old: [[-1, -2, -3], [-1, -1, -1]],
            ref: [[-1.5, -2, -3], [-1, -1, -2]], config: config)
        #expect(t.values == [[-0.25, 1, 0], [0, 0, 1.5]])
        #expect(t.scores == [0.75, 1.5])
        // per row masked mean of kld: [0.25, 0.5] → batch mean 0.375 (+1e-8 in the counts)
        #expect(close(t.klPenalty!, 0.375, 1e-8))
    }

    /// Every estimator by name through `AdvantageEstimate`: shapes, and TRL's unscorable rows.
    @Test(arguments: GRPOConfig.AdvantageEstimator.allCases)
    func estimatorsGiveTheirShapes(estimator: GRPOConfig.AdvantageEstimator) throws {
        let config = GRPOConfig.verl.with { $0.advantageEstimator = estimator }
        let mask: [[Double]] = [[1, 1, 0], [1, 1, 1], [1, 0, 0], [1, 1, 0]]
        let e = try AdvantageEstimate(
            rewards: [[1], [0], [0.5], [1]], groups: Groups(count: 4, size: 2), mask: mask, old: mask, ref: nil,
            values: mask.map { $0.map { _ in 0.1 } }, config: config)
        #expect((e.rows != nil) == !estimator.isTokenLevel)
        if let t = e.tokens { #expect(t.map(\.count) == mask.map(\.count)) }
        #expect(e.returns.map(\.count) == [3, 3, 3, 3])
    }

    /// TRL since 2026: a completion every reward function skipped is left out of its group's mean and std and gets
    /// A = 0, but stays in the loss; before, it counted as reward 0.
    @Test func trlUnscorableRowsGetZeroAdvantageAndStayInTheLoss() throws {
        let e = try AdvantageEstimate(
            rewards: [[1, nil], [nil, nil], [0, 0.5], [0, nil]], groups: Groups(count: 4, size: 4),
            mask: [[1], [1], [1], [1]], old: [[0], [0], [0], [0]], ref: nil, values: nil, config: .trl)
        // rewards 1, NaN, 0.5, 0: mean 0.5, std 0.5 → A = ±0.5 / (0.5 + 1e-4)
        #expect(close(e.rows!, [0.5 / 0.5001, 0, 0, -0.5 / 0.5001]))
        #expect(e.included == [true, true, true, true])
        let old = try AdvantageEstimate(
            rewards: [[1, nil], [nil, nil], [0, 0.5], [0, nil]], groups: Groups(count: 4, size: 4),
            mask: [[1], [1], [1], [1]], old: [[0], [0], [0], [0]], ref: nil, values: nil,
            config: .trl.with { $0.nullRewards = .zero })
        #expect(old.rows![1] < 0)  // counted as 0 below the mean 0.375
    }

    /// normalize_then_sum (GDPO): columns standardised per group, weighted, then over the batch.
    @Test func normalizeThenSumStandardisesEachColumnFirst() throws {
        let config = GRPOConfig.trl.with {
            $0.multiObjectiveAggregation = .normalizeThenSum
            $0.rewardWeights = [1, 2]
        }
        let c = try RewardColumns.combine(
            [[1, 10], [0, 10], [1, 0], [0, 0]], groups: Groups(count: 4, size: 2), config: config)
        // group 1: column 0 → ±0.7071/(0.7071+1e-4), column 1 constant → 0; group 2 likewise on column 0.
        let z = 0.5 / (0.5.squareRoot() + 1e-4)
        #expect(close(c.rewards.map { $0! }, [z, -z, z, -z]))
        let std = (4 * z * z / 3).squareRoot()
        #expect(close(c.advantages!, [z, -z, z, -z].map { $0 / (std + 1e-4) }))
    }
}
