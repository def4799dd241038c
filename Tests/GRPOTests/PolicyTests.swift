import Foundation
import Testing

@testable import GRPO

@Suite struct PolicyTests {
    static let target = 2

    /// Fraction of completion tokens equal to the target token.
    static func reward(_ r: Rollout) -> Double {
        Double(r.tokens.filter { $0 == target }.count) / Double(r.tokens.count)
    }

    /// The exact expected reward: mean over positions of p(target).
    static func expectedReward(_ p: TabularPolicy) -> Double {
        p.theta.indices.map { p.probabilities($0, temperature: 1)[target] }.reduce(0, +) / Double(p.theta.count)
    }

    /// `steps` GRPO steps: 4 prompts × 8 samples, rewards, `PolicyUpdate`.
    static func train(_ policy: inout TabularPolicy, config: GRPOConfig, steps: Int) throws -> [Double] {
        var curve = [expectedReward(policy)]
        let reference = policy
        for _ in 0..<steps {
            var rollouts: [Rollout] = []
            for prompt in 0..<4 {
                rollouts += try policy.generate(
                    prompt: [prompt], count: 8, maxTokens: 3, temperature: config.temperature)
            }
            let refLogp = try reference.score(rollouts, temperature: config.temperature, entropies: false).logProbs
            _ = try PolicyUpdate.run(
                &policy, rollouts: rollouts, rewards: rollouts.map { Self.reward($0) },
                groups: Groups(count: rollouts.count, size: 8), reference: refLogp, config: config)
            curve.append(expectedReward(policy))
        }
        return curve
    }

    @Test(arguments: ["default", "trl", "verl", "dapo"])
    func aFewGRPOStepsRaiseTheExpectedReward(preset: String) throws {
        var config = try #require(GRPOConfig.preset(named: preset))
        config.iterations = 2
        config.beta = 0.01
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 2, seed: 42)
        let curve = try Self.train(&policy, config: config, steps: 30)
        #expect(abs(curve[0] - 0.25) < 1e-12)
        #expect(curve.last! > 0.8, "expected reward \(curve.map { String(format: "%.2f", $0) })")
    }

    @Test func theSeedGradientIsTheGradientOfTheLossInParameters() throws {
        // d loss / dθ obtained by seeding the policy's backward with d loss / d logp and d loss / d H equals
        // central differences of the loss in θ: GRPO needs no autodiff through the model.
        var policy = TabularPolicy(length: 3, actions: 4, learningRate: 0, seed: 1)
        policy.theta = [[0.3, -0.2, 0.5, 0.0], [1.0, 0.1, -0.4, 0.2], [0.0, 0.0, 0.7, -0.9]]
        let rollouts = try policy.generate(prompt: [0], count: 6, maxTokens: 3, temperature: 0.8)
        let config = GRPOConfig.verl.with {
            $0.beta = 0.1
            $0.entropyCoef = 0.05
            $0.temperature = 0.8
        }
        let advantages = try GroupAdvantages(
            rewards: rollouts.map { Self.reward($0) }, groups: Groups(count: 6, size: 6), config: config)
        var old = rollouts.map(\.logProbs)
        old[0][0] += 0.3  // make the batch slightly off-policy so ratios differ from 1
        let ref = old.map { $0.map { $0 - 0.1 } }
        func loss(_ p: TabularPolicy) throws -> PolicyLoss.Result {
            let s = try p.score(rollouts, temperature: 0.8, entropies: true)
            return try PolicyLoss.compute(
                .init(
                    logp: s.logProbs, oldLogp: old, refLogp: ref, mask: s.logProbs.map { $0.map { _ in 1 } },
                    entropy: s.entropies, advantages: advantages.values),
                config: config)
        }
        let r = try loss(policy)
        let g = policy.gradient(rollouts, temperature: 0.8, gradLogProbs: r.gradLogp, gradEntropies: r.gradEntropy)
        let h = 1e-6
        for t in policy.theta.indices {
            for b in policy.theta[t].indices {
                var up = policy
                var down = policy
                up.theta[t][b] += h
                down.theta[t][b] -= h
                let fd = (try loss(up).loss - loss(down).loss) / (2 * h)
                #expect(abs(fd - g[t][b]) < 1e-7, "θ[\(t)][\(b)]: \(fd) vs \(g[t][b])")
            }
        }
    }

    @Test func theFirstIterationIsOnPolicyAndMaskTruncatedDropsRows() throws {
        var policy = TabularPolicy(length: 2, actions: 3, learningRate: 1, seed: 3)
        var rollouts = try policy.generate(prompt: [0], count: 4, maxTokens: 2, temperature: 1)
        rollouts[0].truncated = true
        let config = GRPOConfig().with {
            $0.iterations = 3
            $0.maskTruncated = true
        }
        let out = try PolicyUpdate.run(
            &policy, rollouts: rollouts, rewards: [1, 0, 1, 0], groups: Groups(count: 4, size: 4), reference: nil,
            config: config)
        #expect(out.iterations.count == 3)
        #expect(out.iterations[0].loss.clipFraction.region == 0)
        #expect(out.iterations[0].loss.gradLogp[0] == [0, 0])
    }

    @Test func snapshotsRestoreParametersAndSampling() throws {
        var policy = TabularPolicy(length: 2, actions: 3, learningRate: 1, seed: 9)
        let saved = policy.snapshot()
        let first = try policy.generate(prompt: [0], count: 5, maxTokens: 2, temperature: 1)
        try policy.step(
            first, temperature: 1, gradLogProbs: first.map { $0.logProbs.map { _ in 1 } }, gradEntropies: nil)
        policy.restore(saved)
        #expect(try policy.generate(prompt: [0], count: 5, maxTokens: 2, temperature: 1) == first)
    }
}
