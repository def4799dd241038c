import Foundation
import RewardKit
import Testing

@testable import GRPO

/// The library's training step with the tabular fake policy: milliseconds per step.
@Suite struct TrainingStepTests {
    /// Prompt i is the token [i]; a completion's text is its tokens joined by spaces.
    struct DigitCodec: PromptCodec {
        func prompt(_ task: TaskItem) -> [Int] { [Int(task.id)!] }
        func text(_ tokens: [Int]) -> String { tokens.map(String.init).joined(separator: " ") }
    }

    /// Fraction of completion tokens equal to 2; a completion made only of 3s cannot be scored.
    struct CountTwos: SampleReward {
        func score(_ sample: Sample) -> Score {
            guard case .text(let t) = sample.completion else { return Score(0) }
            let tokens = t.split(separator: " ")
            if !tokens.isEmpty, tokens.allSatisfy({ $0 == "3" }) { return .failure("all threes") }
            let v = Double(tokens.filter { $0 == "2" }.count) / Double(max(tokens.count, 1))
            return Score(v, components: ["accuracy": v])
        }
    }

    /// Counts the calls a step makes, to check one forward pass per update iteration.
    final class Calls: @unchecked Sendable {
        var generate = 0
        var score = 0
        var update = 0
    }

    struct CountingPolicy: Policy {
        var inner: TabularPolicy
        let calls: Calls
        mutating func generate(prompt: [Int], count: Int, maxTokens: Int, temperature: Double) throws -> [Rollout] {
            calls.generate += 1
            return try inner.generate(prompt: prompt, count: count, maxTokens: maxTokens, temperature: temperature)
        }
        func score(_ rollouts: [Rollout], temperature: Double, entropies: Bool) throws -> TokenScores {
            calls.score += 1
            return try inner.score(rollouts, temperature: temperature, entropies: entropies)
        }
        mutating func update(
            _ rollouts: [Rollout], temperature: Double, entropies: Bool,
            seeds: (TokenScores) throws -> (gradLogProbs: [[Double]], gradEntropies: [[Double]]?)
        ) throws {
            calls.update += 1
            try inner.update(rollouts, temperature: temperature, entropies: entropies, seeds: seeds)
        }
        func snapshot() -> TabularPolicy.Snapshot { inner.snapshot() }
        mutating func restore(_ s: TabularPolicy.Snapshot) { inner.restore(s) }
    }

    static let tasks = (0..<4).map { TaskItem(id: "\($0)", prompt: "p\($0)") }

    static func step(_ config: GRPOConfig) throws -> TrainingStep {
        try TrainingStep(
            config: config, promptsPerStep: 4, groupSize: 8, maxTokens: 3, tasks: tasks, reward: CountTwos(),
            codec: DigitCodec())
    }

    @Test(arguments: ["grpo", "rloo", "reinforce_plus_plus", "reinforce_plus_plus_baseline"])
    func theStepRaisesTheRewardWithEveryEstimator(estimator: String) async throws {
        var config = GRPOConfig.verl
        config.advantageEstimator = try #require(GRPOConfig.AdvantageEstimator(rawValue: estimator))
        let step = try Self.step(config)
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 2, seed: 42)
        var rng = SeededRandom(seed: 7)
        var curve: [Double] = []
        for n in 1...30 {
            let report = try await step.run(&policy, reference: nil, taskRNG: &rng, step: n)
            curve.append(report.metrics[MetricKeys.rewardMean]!.doubleValue!)
            #expect(report.metrics[MetricKeys.step] == .int(Int64(n)))
        }
        // From 0.25 (uniform over 4 tokens); RLOO's unscaled advantages move slowest (0.66 after 30 steps).
        #expect(curve.suffix(5).reduce(0, +) / 5 > 0.6, "\(curve)")
    }

    @Test func eachIterationRunsTheModelForwardOnce() async throws {
        let config = GRPOConfig.trl.with {
            $0.iterations = 3
            $0.beta = 0.04
        }
        let calls = Calls()
        var policy = CountingPolicy(inner: TabularPolicy(length: 3, actions: 4, learningRate: 1, seed: 1), calls: calls)
        let reference = TabularPolicy(length: 3, actions: 4, learningRate: 0, seed: 0)
        var rng = SeededRandom(seed: 3)
        let report = try await Self.step(config).run(&policy, reference: reference, taskRNG: &rng, step: 1)
        #expect(calls.update == 3 && calls.score == 0 && calls.generate == 4)
        #expect(report.losses.count == 3)
        #expect(report.losses.allSatisfy { $0.kl != nil })
        #expect(report.batch.count == 4 && report.batch.allSatisfy { $0.rollouts.count == 8 })
    }

    @Test func unscorableCompletionsReachTheAdvantagesAsNull() async throws {
        // A policy that always emits 3: every completion is unscorable, so every advantage is 0.
        var policy = TabularPolicy(length: 2, actions: 4, learningRate: 1, seed: 5)
        policy.theta = [[0, 0, 0, 60], [0, 0, 0, 60]]
        var rng = SeededRandom(seed: 1)
        let report = try await Self.step(.trl).run(&policy, reference: nil, taskRNG: &rng, step: 1)
        #expect(report.batch.flatMap(\.rewards).allSatisfy { $0 == nil })
        #expect(report.advantages.perRow.allSatisfy { $0 == 0 })
        #expect(report.advantages.included.allSatisfy { $0 })  // TRL: they stay in the loss with A = 0
    }

    /// Two reward functions as components: the share of 2s, and the share of 1s only when a 1 is there (else the
    /// function gives nothing, TRL's None).
    struct TwoFunctions: SampleReward {
        func score(_ sample: Sample) -> Score {
            guard case .text(let t) = sample.completion else { return Score(0) }
            let tokens = t.split(separator: " ")
            let n = Double(max(tokens.count, 1))
            let twos = Double(tokens.filter { $0 == "2" }.count) / n
            var components = ["twos": twos]
            if tokens.contains("1") { components["ones"] = Double(tokens.filter { $0 == "1" }.count) / n }
            return Score(twos, components: components)
        }
    }

    /// With reward columns, the advantages are TRL's multi-objective combination of the named components (here
    /// normalize_then_sum with weights), not the recipe's scalar reward's.
    @Test func rewardColumnsAreCombinedAsTRLDoes() async throws {
        let config = GRPOConfig.trl.with {
            $0.multiObjectiveAggregation = .normalizeThenSum
            $0.rewardWeights = [1, 0.5]
        }
        var step = try TrainingStep(
            config: config, promptsPerStep: 4, groupSize: 8, maxTokens: 3, tasks: Self.tasks, reward: TwoFunctions(),
            codec: DigitCodec())
        step.rewardColumns = ["twos", "ones"]
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 1, seed: 9)
        var rng = SeededRandom(seed: 2)
        let report = try await step.run(&policy, reference: nil, taskRNG: &rng, step: 1)
        let columns = report.batch.flatMap { $0.rewardColumns(["twos", "ones"]) }
        #expect(columns.contains { $0[1] == nil } && columns.contains { $0[1] != nil }, "both kinds of rows")
        let expected = try RewardColumns.combine(columns, groups: try Groups(count: 32, size: 8), config: config)
        let got = report.advantages.perRow
        let want = try #require(expected.advantages)
        #expect(zip(got, want).allSatisfy { abs($0 - $1) < 1e-12 }, "\(got) vs \(want)")
        // Without the columns the same batch would be advantaged by the scalar reward: different numbers.
        let scalar = try RewardColumns.combine(
            report.batch.flatMap(\.rewards).map { [$0] }, groups: try Groups(count: 32, size: 8),
            config: config.with { $0.rewardWeights = nil })
        #expect(scalar.advantages.map { zip($0, want).contains { abs($0 - $1) > 1e-6 } } == true)
    }

    /// Restoring a snapshot and the task generator replays the same steps exactly (the resume guarantee).
    @Test func aSnapshotReplaysTheSameSteps() async throws {
        let step = try Self.step(GRPOConfig().with { $0.iterations = 2 })
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 1, seed: 11)
        var rng = SeededRandom(seed: 2)
        _ = try await step.run(&policy, reference: nil, taskRNG: &rng, step: 1)
        let (saved, savedRNG) = (policy.snapshot(), rng)
        let first = try await step.run(&policy, reference: nil, taskRNG: &rng, step: 2)
        policy.restore(saved)
        rng = savedRNG
        let again = try await step.run(&policy, reference: nil, taskRNG: &rng, step: 2)
        #expect(first.batch.flatMap(\.rollouts) == again.batch.flatMap(\.rollouts))
        #expect(first.losses.map(\.loss) == again.losses.map(\.loss))
    }

    @Test func gaeIsRefusedWithoutACritic() async throws {
        var policy = TabularPolicy(length: 2, actions: 4, learningRate: 1, seed: 5)
        var rng = SeededRandom(seed: 1)
        let step = try Self.step(.verl.with { $0.advantageEstimator = .gae })
        await #expect(throws: GRPOError.self) {
            _ = try await step.run(&policy, reference: nil, taskRNG: &rng, step: 1)
        }
    }

    /// One value per position, trained by plain SGD on the value-loss seeds.
    struct TabularCritic: Critic {
        var v: [Double]
        var learningRate: Double
        func values(_ rollouts: [Rollout]) throws -> [[Double]] { rollouts.map { $0.tokens.indices.map { v[$0] } } }
        mutating func update(_ rollouts: [Rollout], seeds: ([[Double]]) throws -> [[Double]]) throws {
            let g = try seeds(values(rollouts))
            for (i, r) in rollouts.enumerated() { for t in r.tokens.indices { v[t] -= learningRate * g[i][t] } }
        }
    }

    /// PPO's shape through the same step: GAE on the critic's rollout-time values, and the critic, trained on the
    /// clipped value loss, learns the expected return of a fixed policy (γ = λ = 1: the mean reward, 0.25 for a
    /// uniform policy over 4 tokens).
    @Test func aCriticLearnsTheExpectedReturnUnderGAE() async throws {
        let config = GRPOConfig.verl.with {
            $0.advantageEstimator = .gae
            $0.valueClip = 10
        }
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 0, seed: 8)
        var critic: TabularCritic? = TabularCritic(v: [0, 0, 0], learningRate: 1)
        var rng = SeededRandom(seed: 4)
        let step = try Self.step(config)
        var last: TrainingStep.Report? = nil
        for n in 1...60 { last = try await step.run(&policy, critic: &critic, reference: nil, taskRNG: &rng, step: n) }
        let report = try #require(last)
        #expect(report.valueLosses.count == 1 && report.advantages.tokens != nil)
        #expect(critic!.v.allSatisfy { abs($0 - 0.25) < 0.1 }, "\(critic!.v)")
    }
}
