import Foundation
import RewardKit
import Testing

@testable import GRPO

/// PPO's parts beside GRPO's (issue 20): GAE worked by hand, verl's KL controllers, mini-batches, the critic's
/// warmup and metrics, through the library's step with the tabular policy and critic.
@Suite struct PPOTests {
    typealias T = TrainingStepTests

    /// γ = λ = 1, reward 2 on the last valid token: every raw advantage is return − value = 2 − V_t.
    @Test func gaeWithGammaAndLambdaOneIsReturnMinusValue() throws {
        let v: [[Double]] = [[0.5, 1.5, -1, 4], [0.25, 0, 0, 0]]
        let mask: [[Double]] = [[1, 1, 1, 1], [1, 1, 0, 0]]
        let r: [[Double]] = [[0, 0, 0, 2], [0, -1, 0, 0]]
        let g = try GAE.advantages(tokenRewards: r, values: v, mask: mask, gamma: 1, lam: 1)
        let raw = zip(g.returns, v).map { zip($0, $1).map { $0 - $1 } }
        #expect(raw[0] == [1.5, 0.5, 3, -2])
        #expect(Array(raw[1].prefix(2)) == [-1.25, -1])
        #expect(Array(g.returns[0]) == [2, 2, 2, 2])
    }

    /// γ = 1, λ = 0: the raw advantage is the TD error r_t + V_{t+1} − V_t (V after the last token = 0).
    @Test func gaeWithLambdaZeroIsTheTDError() throws {
        let v: [[Double]] = [[0.5, 1.5, -1, 4]]
        let r: [[Double]] = [[0, 0, 0, 2]]
        let g = try GAE.advantages(tokenRewards: r, values: v, mask: [[1, 1, 1, 1]], gamma: 1, lam: 0)
        let raw = zip(g.returns[0], v[0]).map { $0 - $1 }
        let want: [Double] = [1.5 - 0.5, -1 - 1.5, 4 + 1, 2 - 4]
        #expect(raw == want)
    }

    /// γ = λ = ½ worked by hand: V = [1, 2, 3], r = [0, 0, 1]:
    /// δ = [0 + ½·2 − 1, 0 + ½·3 − 2, 1 − 3] = [0, −½, −2]; A_2 = −2, A_1 = −½ + ¼·(−2) = −1, A_0 = 0 + ¼·(−1) = −¼;
    /// returns = A + V = [¾, 1, 1]; the advantages are A whitened (mean −13/12, unbiased std).
    @Test func gaeWorkedByHandWithDiscount() throws {
        let g = try GAE.advantages(
            tokenRewards: [[0, 0, 1]], values: [[1, 2, 3]], mask: [[1, 1, 1]], gamma: 0.5, lam: 0.5)
        #expect(close(g.returns[0], [0.75, 1, 1]))
        let a = [-0.25, -1, -2]
        let mean = a.reduce(0, +) / 3
        let std = (a.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        // (verl adds 1e-8 to the token count in the mean: agreement to 1e-7)
        #expect(close(g.advantages[0], a.map { ($0 - mean) / (std * std + 1e-8).squareRoot() }, 1e-7))
    }

    /// verl's AdaptiveKLController: e = clip(KL/target − 1, ±0.2), β ← β·(1 + e·n/horizon); fixed stays.
    @Test func klControllersMoveTheCoefficientAsVerl() {
        let config = GRPOConfig.verl.with {
            $0.klInReward = 0.1
            $0.klControl = .adaptive
            $0.klTarget = 0.1
            $0.klHorizon = 10
        }
        var high = KLController(config: config)
        high.update(currentKL: 0.15, rows: 4)  // e = 0.5 → clipped 0.2; ×(1 + 0.2·4/10)
        #expect(close(high.value, 0.1 * 1.08))
        var low = KLController(config: config)
        low.update(currentKL: 0.09, rows: 4)  // e = −0.1; ×(1 − 0.1·4/10)
        #expect(close(low.value, 0.1 * 0.96))
        var fixed = KLController(config: config.with { $0.klControl = .fixed })
        fixed.update(currentKL: 5, rows: 4)
        #expect(fixed.value == 0.1)
    }

    /// Mini-batches: contiguous, in order, sizes differing by at most one; more slices than rows is refused.
    @Test func miniBatchesAreContiguousSlices() throws {
        #expect(try PolicyUpdate.miniBatches(rows: 7, count: 3) == [0..<3, 3..<5, 5..<7])
        #expect(try PolicyUpdate.miniBatches(rows: 4, count: 1) == [0..<4])
        #expect(throws: GRPOError.self) { try PolicyUpdate.miniBatches(rows: 2, count: 3) }
        #expect(throws: GRPOError.self) { try GRPOConfig(json: JSONParser.parse(#"{"mini_batches": 0}"#).objectValue!) }
    }

    static func ppo(_ change: (inout GRPOConfig) -> Void = { _ in }) -> GRPOConfig {
        GRPOConfig.verl.with {
            $0.advantageEstimator = .gae
            $0.lam = 0.95
            change(&$0)
        }
    }

    /// μ = 2 epochs over 2 mini-batches: four policy and four critic steps, the critic metrics under verl's names.
    @Test func ppoStepTakesMuEpochsOverMiniBatchesAndLogsTheCritic() async throws {
        let calls = T.Calls()
        var policy = T.CountingPolicy(
            inner: TabularPolicy(length: 3, actions: 4, learningRate: 0.5, seed: 2), calls: calls)
        var critic: T.TabularCritic? = T.TabularCritic(v: [0, 0, 0], learningRate: 0.5)
        var rng = SeededRandom(seed: 3)
        let step = try T.step(Self.ppo { ($0.iterations, $0.miniBatches) = (2, 2) })
        let report = try await step.run(&policy, critic: &critic, reference: nil, taskRNG: &rng, step: 1)
        #expect(report.losses.count == 4 && report.valueLosses.count == 4 && calls.update == 4)
        for key in MetricKeys.critic { #expect(report.metrics[key]?.doubleValue?.isFinite == true, "\(key)") }
        #expect(report.metrics[MetricKeys.vfLoss]?.doubleValue == report.valueLosses.map(\.loss).reduce(0, +) / 4)
        // Rollout-time values were 0, so values/mean is 0 and the returns are A + 0.
        #expect(report.metrics[MetricKeys.valuesMean]?.doubleValue == 0)
        #expect(critic!.v != [0, 0, 0])
    }

    /// During the critic warmup the policy does not move but the critic does (verl `trainer.critic_warmup`).
    @Test func duringTheCriticWarmupOnlyTheCriticLearns() async throws {
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 1, seed: 5)
        var critic: T.TabularCritic? = T.TabularCritic(v: [0, 0, 0], learningRate: 0.5)
        var rng = SeededRandom(seed: 1)
        var step = try T.step(Self.ppo())
        step.criticWarmup = 1
        let before = policy.snapshot()
        let warm = try await step.run(&policy, critic: &critic, reference: nil, taskRNG: &rng, step: 1)
        #expect(warm.losses.isEmpty && warm.valueLosses.count == 1)
        #expect(policy.theta == before.0 && critic!.v != [0, 0, 0])
        let next = try await step.run(&policy, critic: &critic, reference: nil, taskRNG: &rng, step: 2)
        #expect(next.losses.count == 1 && policy.theta != before.0)
    }

    /// The explained variance and the means of values, returns and advantages over the valid tokens, by hand:
    /// returns [1, 1, 0, 0] (γ = λ = 1), V [0.9, 0.9, 0.1, 0.1] → R − V = ±0.1, Var = 0.04/3; Var(R) = 1/3.
    @Test func criticMetricsFollowVerlsDefinitions() throws {
        let values: [[Double]] = [[0.9, 0.9], [0.1, 0.1]]
        let mask: [[Double]] = [[1, 1], [1, 1]]
        let estimate = try AdvantageEstimate(
            rewards: [[1], [0]], groups: Groups(count: 2, size: 1), mask: mask, old: mask, ref: nil, values: values,
            config: Self.ppo { $0.lam = 1 })
        let m = Dictionary(
            uniqueKeysWithValues: CriticMetrics(values: values, advantages: estimate, mask: mask, valueLosses: [])
                .entries)
        let explained: Double = 1 - (0.04 / 3) / (1.0 / 3 + 1e-5)
        #expect(close(m[MetricKeys.vfExplainedVariance]!, explained, 1e-9))
        #expect(close(m[MetricKeys.valuesMean]!, 0.5) && close(m[MetricKeys.returnsMean]!, 0.5))
        #expect(abs(m[MetricKeys.advantagesMean]!) < 1e-9)  // whitened over the batch
    }

    /// With KL in the reward and the adaptive controller, the step logs the coefficient it used and hands the
    /// caller the moved one.
    @Test func adaptiveKLInTheRewardMovesBetweenSteps() async throws {
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 1, seed: 7)
        let reference = policy
        var critic: T.TabularCritic? = T.TabularCritic(v: [0, 0, 0], learningRate: 0.5)
        var rng = SeededRandom(seed: 2)
        let config = Self.ppo {
            $0.klInReward = 0.2
            $0.klControl = .adaptive
            $0.klTarget = 1e-6
            $0.klHorizon = 100
            $0.klEstimator = .k1
        }
        var controller = KLController(config: config)
        let step = try T.step(config)
        _ = try await step.run(
            &policy, critic: &critic, reference: reference, taskRNG: &rng, klController: &controller, step: 1)
        // Step 1 samples from the reference itself: KL 0, e = clip(0/target − 1) = −0.2, 32 rows.
        let first = 0.2 * (1 - 0.2 * 32 / 100)
        #expect(close(controller.value, first, 1e-12))
        let second = try await step.run(
            &policy, critic: &critic, reference: reference, taskRNG: &rng, klController: &controller, step: 2)
        // The policy moved: KL far above the target, e = +0.2; the line logs the coefficient the step used.
        #expect(second.metrics[MetricKeys.rewardKLPenaltyCoefficient]?.doubleValue == first)
        #expect((second.metrics[MetricKeys.rewardKLPenalty]?.doubleValue ?? 0) > 1e-6)
        #expect(close(controller.value, first * (1 + 0.2 * 32 / 100), 1e-12))
    }
}
