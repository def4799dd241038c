import ArgumentParser
import Foundation
import GRPO
import RewardKit
import RewardModels
import Tensor
import TinyLM

/// Optimizer options shared by `grpo sft` and `grpo train`.
struct OptimizerOptions: ParsableArguments {
    @Option(help: "Peak learning rate of AdamW (0 < lr ≤ 1).")
    var lr: Float = 1e-3

    @Option(name: .customLong("warmup-steps"), help: "Steps of linear learning-rate warmup (0 ≤ warmup ≤ steps).")
    var warmupSteps: Int = 0

    @Option(name: .customLong("lr-decay"), help: "After warmup: constant or cosine (to 10% of the peak).")
    var lrDecay: String = "constant"

    @Option(name: .customLong("weight-decay"), help: "AdamW decoupled weight decay λ (0-1; norms exempt).")
    var weightDecay: Float = 0

    @Option(name: .customLong("max-grad-norm"), help: "Global gradient-norm clip (0 = off, else > 0).")
    var maxGradNorm: Float = 1

    @Option(help: "Seed of the sampling and batch-order generators (any unsigned integer).")
    var seed: UInt64 = 0

    func validate() throws {
        guard lr > 0, lr <= 1 else { throw ValidationError("--lr must be in (0, 1], got \(lr)") }
        guard warmupSteps >= 0 else { throw ValidationError("--warmup-steps must be ≥ 0, got \(warmupSteps)") }
        guard ["constant", "cosine"].contains(lrDecay) else {
            throw ValidationError("--lr-decay must be constant or cosine, got \(lrDecay)")
        }
        guard (0...1).contains(weightDecay) else {
            throw ValidationError("--weight-decay must be in [0, 1], got \(weightDecay)")
        }
        guard maxGradNorm >= 0, maxGradNorm.isFinite else {
            throw ValidationError("--max-grad-norm must be ≥ 0, got \(maxGradNorm)")
        }
    }

    func schedule(steps: Int) throws -> LRSchedule {
        try LRSchedule(
            peak: lr, warmupSteps: min(warmupSteps, steps), totalSteps: steps,
            decay: lrDecay == "cosine" ? .cosine : .constant, minRatio: 0.1)
    }

    var json: JSON {
        [
            "lr": .double(Double(lr)), "warmup_steps": .int(Int64(warmupSteps)), "lr_decay": .string(lrDecay),
            "weight_decay": .double(Double(weightDecay)), "max_grad_norm": .double(Double(maxGradNorm)),
            "seed": .int(Int64(bitPattern: seed)),
        ]
    }
}

/// The GRPO algorithm's options; they become a `GRPOConfig` through its JSON reader (which validates them).
struct AlgorithmOptions: ParsableArguments {
    @Option(help: "Starting point of the algorithm settings: default (DAPO-style), trl, verl or dapo.")
    var preset: String = "default"

    @Option(
        name: .customLong("epsilon-low"),
        help: ArgumentHelp("ε_low: ratio clipped below at 1 − ε_low (0-1). " + presetNumberDefaults { $0.epsilonLow }))
    var epsilonLow: Double?

    @Option(
        name: .customLong("epsilon-high"),
        help: ArgumentHelp(
            "ε_high: ratio clipped above at 1 + ε_high (0-10; 0.28 = clip-higher). "
                + presetNumberDefaults { $0.epsilonHigh }
        ))
    var epsilonHigh: Double?

    @Option(
        help: ArgumentHelp(
            "β, coefficient of the KL penalty to the frozen starting policy (≥ 0; 0 = no reference pass). "
                + presetNumberDefaults { $0.beta }))
    var beta: Double?

    @Option(
        name: .customLong("kl-estimator"),
        help: ArgumentHelp("KL estimator: k1, k2 or k3. " + presetDefaults { $0.klEstimator.rawValue }))
    var klEstimator: String?

    @Option(
        name: .customLong("loss-aggregation"),
        help: ArgumentHelp(
            "token-mean, seq-mean-token-mean, seq-mean-token-sum or seq-mean-token-sum-norm. "
                + presetDefaults { $0.lossAggregation.rawValue }))
    var lossAggregation: String?

    @Option(
        name: .customLong("scale-rewards"),
        help: ArgumentHelp(
            "Advantage scaling: group, batch or none (Dr. GRPO). " + presetDefaults { $0.scaleRewards.rawValue }))
    var scaleRewards: String?

    @Option(
        name: .customLong("entropy-coef"),
        help: ArgumentHelp("Entropy bonus coefficient (≥ 0). " + presetNumberDefaults { $0.entropyCoef }))
    var entropyCoef: Double?

    @Option(
        help: ArgumentHelp(
            "μ: policy updates per generated batch (1-16). " + presetNumberDefaults { Double($0.iterations) }))
    var iterations: Int?

    @Option(
        name: .customLong("dynamic-sampling"),
        help: ArgumentHelp("DAPO dynamic sampling: on or off. " + presetDefaults { $0.dynamicSampling ? "on" : "off" }))
    var dynamicSampling: String?

    @Option(
        name: .customLong("max-generation-batches"),
        help: ArgumentHelp(
            "Generation batches per step under dynamic sampling (0 = unlimited, else 1-1000). "
                + presetNumberDefaults { Double($0.maxGenerationBatches) }))
    var maxGenerationBatches: Int?

    @Option(
        name: .customLong("on-exhaustion"),
        help: ArgumentHelp(
            "When dynamic sampling runs out of batches: error or partial. "
                + presetDefaults { $0.onExhaustion.rawValue }))
    var onExhaustion: String?

    @Flag(name: .customLong("mask-truncated"), help: "Leave completions cut at --max-tokens out of the loss.")
    var maskTruncated = false

    @Option(help: "grpo (critic-free, the default) or ppo (a critic with GAE; see --critic-lr, --critic-warmup).")
    var algorithm: String = "grpo"

    @Option(
        name: .customLong("advantage-estimator"),
        help: ArgumentHelp(
            "verl adv_estimator: grpo, rloo, reinforce_plus_plus, reinforce_plus_plus_baseline (gae: ppo). "
                + presetDefaults { $0.advantageEstimator.rawValue }))
    var advantageEstimator: String?

    @Option(
        name: .customLong("policy-loss"), help: "verl policy_loss.loss_mode: vanilla, gspo, cispo, kl_cov or clip_cov.")
    var policyLoss: String?

    @Option(
        name: .customLong("loss-type"),
        help: "TRL loss_type (aggregation and objective): grpo, bnpo, dr_grpo, dapo, cispo, sapo, luspo or vespo.")
    var lossType: String?

    @Option(
        name: .customLong("kl-in-reward"),
        help: ArgumentHelp(
            "Coefficient of the KL penalty in the reward (verl; ≥ 0). " + presetNumberDefaults { $0.klInReward }))
    var klInReward: Double?

    @Option(help: ArgumentHelp("γ, discount of GAE and REINFORCE++ (0-1). " + presetNumberDefaults { $0.gamma }))
    var gamma: Double?

    @Option(help: "λ of GAE (0-1; --algorithm ppo).")
    var lam: Double?

    @Option(name: .customLong("value-clip"), help: "verl cliprange_value: value clipped to old ± c in its loss (> 0).")
    var valueClip: Double?

    @Option(name: .customLong("kl-ctrl"), help: "Coefficient of --kl-in-reward: fixed or adaptive (verl kl_ctrl).")
    var klCtrl: String?

    @Option(name: .customLong("kl-target"), help: "Target KL of the adaptive controller (> 0).")
    var klTarget: Double?

    @Option(name: .customLong("kl-horizon"), help: "Horizon of the adaptive controller (≥ 1).")
    var klHorizon: Int?

    @Option(
        name: .customLong("mini-batches"),
        help: "Mini-batches per epoch, one optimizer step each for policy and critic (1-1024).")
    var miniBatches: Int?

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Any key of `grpo loss`'s config, by the libraries' names, as KEY=VALUE (VALUE is JSON, or else a string); "
                + "repeatable, and wins over the options above: kl_cov_ratio=0.0002, clip_cov_lb=1, "
                + "sapo_temperature_pos=1, vespo_k_pos=2, epsilon=0.2, reward_weights=[1,0.5] …",
            valueName: "key=value"))
    var config: [String] = []

    var isPPO: Bool { algorithm == "ppo" }

    /// The `--config` pairs, each value read as JSON where it parses (numbers, booleans, arrays), else as a string.
    func configPairs() throws -> [(String, JSON)] {
        try config.map { pair in
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--config takes KEY=VALUE, got \"\(pair)\"")
            }
            let key = String(pair[..<eq])
            let text = String(pair[pair.index(after: eq)...])
            guard key != "preset" else { throw ValidationError("--config preset=…: use --preset \(text)") }
            return (key, (try? JSONParser.parse(text)) ?? .string(text))
        }
    }

    /// The validated config, with the sampling temperature of the run.
    func config(temperature: Double) throws -> GRPOConfig {
        var o: [(String, JSON)] = [("preset", .string(preset)), ("temperature", .double(temperature))]
        if let epsilonLow { o.append(("epsilon_low", .double(epsilonLow))) }
        if let epsilonHigh { o.append(("epsilon_high", .double(epsilonHigh))) }
        if let beta { o.append(("beta", .double(beta))) }
        if let klEstimator { o.append(("kl_estimator", .string(klEstimator))) }
        if let lossAggregation { o.append(("loss_aggregation", .string(lossAggregation))) }
        if let scaleRewards { o.append(("scale_rewards", .string(scaleRewards))) }
        if let entropyCoef { o.append(("entropy_coef", .double(entropyCoef))) }
        if let iterations {
            guard (1...16).contains(iterations) else {
                throw ValidationError("--iterations must be in 1...16, got \(iterations)")
            }
            o.append(("num_iterations", .int(Int64(iterations))))
        }
        if let dynamicSampling {
            guard ["on", "off"].contains(dynamicSampling) else {
                throw ValidationError("--dynamic-sampling must be on or off, got \(dynamicSampling)")
            }
            o.append(("dynamic_sampling", .bool(dynamicSampling == "on")))
        }
        if let maxGenerationBatches {
            guard (0...1000).contains(maxGenerationBatches) else {
                throw ValidationError("--max-generation-batches must be in 0...1000, got \(maxGenerationBatches)")
            }
            o.append(("max_generation_batches", .int(Int64(maxGenerationBatches))))
        }
        if let onExhaustion { o.append(("on_exhaustion", .string(onExhaustion))) }
        if maskTruncated { o.append(("mask_truncated", true)) }
        guard ["grpo", "ppo"].contains(algorithm) else {
            throw ValidationError("--algorithm must be grpo or ppo, got \(algorithm)")
        }
        if let advantageEstimator {
            guard advantageEstimator != "gae" || isPPO else {
                throw ValidationError("--advantage-estimator gae needs a critic: use --algorithm ppo")
            }
            guard advantageEstimator == "gae" || !isPPO else {
                throw ValidationError("--algorithm ppo estimates advantages with gae, not \(advantageEstimator)")
            }
        }
        if isPPO || advantageEstimator != nil {
            o.append(("advantage_estimator", .string(isPPO ? "gae" : advantageEstimator!)))
        }
        if let lossType { o.append(("loss_type", .string(lossType))) }
        if let policyLoss { o.append(("policy_loss", .string(policyLoss))) }
        if let klInReward { o.append(("kl_in_reward", .double(klInReward))) }
        if let gamma { o.append(("gamma", .double(gamma))) }
        if let lam { o.append(("lam", .double(lam))) }
        if let valueClip { o.append(("value_clip", .double(valueClip))) }
        if let klCtrl { o.append(("kl_ctrl", .string(klCtrl))) }
        if let klTarget { o.append(("kl_target", .double(klTarget))) }
        if let klHorizon { o.append(("kl_horizon", .int(Int64(klHorizon)))) }
        if let miniBatches {
            guard (1...1024).contains(miniBatches) else {
                throw ValidationError("--mini-batches must be in 1...1024, got \(miniBatches)")
            }
            o.append(("mini_batches", .int(Int64(miniBatches))))
        }
        let pairs = try configPairs()
        o.removeAll { key, _ in pairs.contains { $0.0 == key } }
        o += pairs
        let c = try GRPOConfig(json: JSONObject(o), path: "options")
        try c.validate()
        return c
    }
}

/// PPO's critic (`--algorithm ppo`): where it starts, its learning rate and its warmup.
struct CriticOptions: ParsableArguments {
    @Option(
        name: .customLong("critic-model"),
        help: "Critic's start: a value, reward or language model checkpoint (default: the policy's).")
    var criticModel: String?

    @Option(name: .customLong("critic-lr"), help: "Peak learning rate of the critic's AdamW (in (0, 1]; default --lr).")
    var criticLR: Float?

    @Option(name: .customLong("critic-warmup"), help: "First steps in which only the critic learns (0-100000).")
    var criticWarmup: Int = 0

    func validate() throws {
        if let criticLR, !(criticLR > 0 && criticLR <= 1) {
            throw ValidationError("--critic-lr must be in (0, 1], got \(criticLR)")
        }
        guard (0...100_000).contains(criticWarmup) else {
            throw ValidationError("--critic-warmup must be in 0...100000, got \(criticWarmup)")
        }
    }

    /// The critic a new run starts from: `--critic-model`, or the policy's weights with a new value head.
    func startingModel(policy: LlamaModel, tokenizer: any Tokenizer) throws -> ValueModel {
        if let criticModel {
            return try ValueModel.load(from: URL(fileURLWithPath: criticModel), tokenizer: tokenizer, seed: 0xC417)
        }
        return try ValueModel(languageModel: policy, tokenizer: tokenizer, seed: 0xC417)
    }

    /// The policy's schedule shape (warmup, decay) at the critic's peak learning rate.
    func schedule(_ optimizer: OptimizerOptions, steps: Int) throws -> LRSchedule {
        var o = optimizer
        o.lr = criticLR ?? optimizer.lr
        return try o.schedule(steps: steps)
    }

    /// The settings of the critic for config.json (with the learning rate it resolved to).
    func json(lr: Float) -> JSON {
        [
            "model": criticModel.map(JSON.string) ?? .null, "lr": .double(Double(lr)),
            "warmup": .int(Int64(criticWarmup)),
        ]
    }
}
