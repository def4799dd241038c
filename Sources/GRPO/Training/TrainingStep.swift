import Foundation
import RewardKit

/// One training step, the whole loop in one place: sample → score → advantages → update → metrics.
///
/// The model is behind `Policy` (batched generation, one forward pass per update iteration), the tokenizer behind
/// `PromptCodec`, the reward is any RewardKit `Reward` (a recipe, or one holding a reward model); the executable
/// keeps options, model loading, the run folder and checkpoints. Seams for what plugs in next: a frozen
/// `reference` (β or `kl_in_reward`), a `Critic` whose rollout-time values feed `gae` and which is trained on the
/// clipped value loss after the policy (PPO, issue 20), and the returned `Report`, whose scored batch can train a
/// reward model online (issue 21).
public struct TrainingStep {
    public var config: GRPOConfig
    /// Groups (prompts) per batch and completions per prompt (G).
    public var promptsPerStep: Int
    public var groupSize: Int
    /// Maximum completion length in tokens.
    public var maxTokens: Int
    /// The prompts drawn from, uniformly with the caller's `taskRNG`.
    public var tasks: [TaskItem]
    /// PPO's critic warmup: in steps 1…`criticWarmup` only the critic learns (the policy is not updated).
    public var criticWarmup = 0
    /// The recipe components that are the reward functions' columns for `multi_objective_aggregation` (TRL), in
    /// `reward_weights`' order; nil = the recipe's reward is the one column.
    public var rewardColumns: [String]? = nil
    public var reward: any Reward
    public var codec: any PromptCodec

    public init(
        config: GRPOConfig, promptsPerStep: Int, groupSize: Int, maxTokens: Int, tasks: [TaskItem],
        reward: any Reward, codec: any PromptCodec
    ) throws(GRPOError) {
        guard !tasks.isEmpty else { throw GRPOError("the training step needs at least one task") }
        guard promptsPerStep >= 1, groupSize >= 1, maxTokens >= 1 else {
            throw GRPOError(
                "prompts per step, group size and max tokens must be at least 1, got \(promptsPerStep), "
                    + "\(groupSize), \(maxTokens)")
        }
        (self.config, self.promptsPerStep, self.groupSize, self.maxTokens) = (
            config, promptsPerStep, groupSize, maxTokens
        )
        (self.tasks, self.reward, self.codec) = (tasks, reward, codec)
    }

    /// What one step did.
    public struct Report {
        /// The groups trained on, with their rollouts, texts and scores.
        public var batch: [ScoredGroup]
        /// The advantages of `batch`'s rollouts.
        public var advantages: AdvantageEstimate
        /// One loss report per policy optimizer step (μ epochs × mini-batches; none during the critic warmup).
        public var losses: [PolicyLoss.Result]
        /// The critic's value loss per optimizer step (μ epochs × mini-batches; empty without a critic).
        public var valueLosses: [ValueLoss]
        /// The `metrics.jsonl` line (`MetricKeys`).
        public var metrics: JSONObject
        public var times: PhaseTimes
    }

    /// Runs step number `step` (1-based, as logged).
    /// - Parameters:
    ///   - reference: the frozen reference policy, scored when β ≠ 0 or `kl_in_reward` > 0.
    ///   - taskRNG: draws the prompts (the caller saves it with the checkpoint, so a resumed run draws the same).
    public func run<P: Policy>(
        _ policy: inout P, reference: (any TokenScorer)?, taskRNG: inout SeededRandom, step: Int
    ) async throws -> Report {
        guard config.advantageEstimator != .gae else {
            throw GRPOError("the gae estimator needs a critic's values: run the step with a critic")
        }
        var none: NoCritic? = nil
        return try await run(&policy, critic: &none, reference: reference, taskRNG: &taskRNG, step: step)
    }

    /// Runs step number `step` with a critic and the fixed KL-in-reward coefficient `kl_in_reward` (a caller with
    /// an adaptive `kl_ctrl` keeps its `KLController` across steps with the overload that takes it).
    public func run<P: Policy, C: Critic>(
        _ policy: inout P, critic: inout C?, reference: (any TokenScorer)?, taskRNG: inout SeededRandom, step: Int
    ) async throws -> Report {
        var controller = KLController(config: config)
        return try await run(
            &policy, critic: &critic, reference: reference, taskRNG: &taskRNG, klController: &controller, step: step)
    }

    /// Runs step number `step` with a critic: its values at rollout time are the `old_values` of the estimator
    /// (`gae`) and of the value clip, and after the policy's updates it takes μ epochs of mini-batch steps on the
    /// clipped value loss against the estimator's returns (verl `update_critic`, `ppo_epochs`). During the
    /// `criticWarmup` steps only the critic learns. The KL penalty in the reward uses `klController.value`, which is
    /// then moved by the batch's KL (verl `apply_kl_penalty`).
    public func run<P: Policy, C: Critic>(
        _ policy: inout P, critic: inout C?, reference: (any TokenScorer)?, taskRNG: inout SeededRandom,
        klController: inout KLController, step: Int
    ) async throws -> Report {
        var config = self.config
        config.klInReward = klController.value
        var times = PhaseTimes()
        var generated: [ScoredGroup] = []
        let temperature = config.temperature

        // 1–2. Sample G completions per prompt and score them; dynamic sampling refills dropped groups.
        let sampler = DynamicSampler(config: config, targetGroups: promptsPerStep)
        let outcome = try await sampler.fill(
            generate: { _ in
                let picked = (0..<promptsPerStep).map { _ in tasks[taskRNG.int(0...(tasks.count - 1))] }
                let groups = try times.measure(\.generate) {
                    try policy.generate(
                        prompts: picked.map(codec.prompt), count: groupSize, maxTokens: maxTokens,
                        temperature: temperature)
                }
                let start = Date()
                let scored = try await ScoredGroup.score(picked, groups, reward: reward, codec: codec)
                times.score += Date().timeIntervalSince(start)
                generated += scored
                return scored
            }, rewards: \.rewards)
        let batch = outcome.groups
        let rollouts = batch.flatMap(\.rollouts)

        // 3–4. Advantages, then μ policy updates (with the frozen reference's log-probs when asked for), then the
        // critic's.
        let (advantages, iterations, oldValues, valueLosses) = try times.measure(\.update) {
            let needsReference = config.beta != 0 || config.klInReward > 0
            let ref =
                needsReference
                ? try reference?.score(rollouts, temperature: temperature, entropies: false).logProbs : nil
            if needsReference, ref == nil {
                throw GRPOError("β or kl_in_reward is set but the step was given no reference policy")
            }
            let oldValues = try critic?.values(rollouts)
            let update = try PolicyUpdate.run(
                &policy, rollouts: rollouts, rewards: batch.flatMap(\.rewards),
                rewardColumns: rewardColumns.map { names in batch.flatMap { $0.rewardColumns(names) } },
                groups: try Groups(count: rollouts.count, size: groupSize), reference: ref, values: oldValues,
                config: config, measureEntropy: true, updatePolicy: step > criticWarmup)
            let valueLosses = try oldValues.map { old in
                try Self.updateCritic(&critic, rollouts, old: old, advantages: update.advantages, config: config)
            }
            return (update.advantages, update.iterations, oldValues, valueLosses ?? [])
        }
        let klCoefficient = klController.value
        if let penalty = advantages.klPenalty { klController.update(currentKL: penalty, rows: rollouts.count) }

        // 5. Metrics.
        let losses = iterations.map(\.loss)
        let optimizer = policy.optimizerMetrics
        var line = StepMetrics.line(
            step: step, generated: generated, outcome: outcome, losses: losses, times: times,
            lr: optimizer.learningRate, gradNorm: optimizer.gradNorm)
        if let penalty = advantages.klPenalty {
            line[MetricKeys.rewardKLPenalty] = .double(penalty)
            line[MetricKeys.rewardKLPenaltyCoefficient] = .double(klCoefficient)
        }
        if let oldValues {
            let metrics = CriticMetrics(
                values: oldValues, advantages: advantages, mask: Self.criticMask(rollouts, advantages, config),
                valueLosses: valueLosses)
            for (key, value) in metrics.entries { line[key] = .double(value) }
        }
        return Report(
            batch: batch, advantages: advantages, losses: losses, valueLosses: valueLosses, metrics: line, times: times)
    }

    /// The critic's loss mask, the policy's: the valid tokens of the rows in the loss.
    static func criticMask(_ rollouts: [Rollout], _ advantages: AdvantageEstimate, _ config: GRPOConfig) -> [[Double]] {
        rollouts.indices.map { i in
            rollouts[i].tokens.map { _ in
                advantages.included[i] && !(config.maskTruncated && rollouts[i].truncated) ? 1.0 : 0.0
            }
        }
    }

    /// μ epochs of critic steps on `ValueLoss` against the estimator's returns, one per mini-batch (the policy's
    /// slices; the loss aggregated over the mini-batch, verl PR #6957).
    static func updateCritic<C: Critic>(
        _ critic: inout C?, _ rollouts: [Rollout], old: [[Double]], advantages: AdvantageEstimate, config: GRPOConfig
    ) throws -> [ValueLoss] {
        guard var c = critic else { return [] }
        let mask = criticMask(rollouts, advantages, config)
        let slices = try PolicyUpdate.miniBatches(rows: rollouts.count, count: config.miniBatches)
        var losses: [ValueLoss] = []
        for _ in 0..<config.iterations {
            for s in slices {
                let (oldPart, returnsPart, maskPart) = (Array(old[s]), Array(advantages.returns[s]), Array(mask[s]))
                try c.update(Array(rollouts[s])) { values in
                    let loss = try ValueLoss(
                        values: values, oldValues: oldPart, returns: returnsPart, mask: maskPart, config: config)
                    losses.append(loss)
                    return loss.gradValues
                }
            }
        }
        critic = c
        return losses
    }
}
