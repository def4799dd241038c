import ArgumentParser
import CodeRewards
import Foundation
import GRPO
import RewardKit
import RewardModels
import Tensor
import TinyLM

/// `grpo train`: GRPO on verifiable rewards, writing a run folder.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: """
            Train a policy with GRPO (or PPO with a critic): sample G per prompt, score with a recipe, update; log to \
            a run folder.
            """,
        discussion: """
            The run folder holds config.json (every setting), metrics.jsonl (one line per step: \
            \(MetricKeys.all.joined(separator: ", "))), rollouts.jsonl, checkpoint/ (model.safetensors, config.json, \
            optimizer.safetensors, trainer_state.json; with --algorithm ppo also critic/: the value model and its \
            optimizer.safetensors) and curves.svg. --resume continues exactly from checkpoint/. PPO adds \
            \(MetricKeys.critic.joined(separator: ", ")) to metrics.jsonl.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var taskOptions: TaskOptions
    @OptionGroup var optimizer: OptimizerOptions
    @OptionGroup var algorithm: AlgorithmOptions
    @OptionGroup var rmOnline: RMOnlineOptions
    @OptionGroup var critic: CriticOptions

    @Option(help: "Run folder to create (or continue with --resume).")
    var out: String

    @Option(help: "Training steps (1-100000).")
    var steps: Int = 50

    @Option(name: .customLong("stop-after"), help: "Stop after this many steps of this invocation (resume later).")
    var stopAfter: Int?

    @Option(name: .customLong("prompts-per-step"), help: "Groups (prompts) per training batch (1-1024).")
    var promptsPerStep: Int = 8

    @Option(name: .customLong("group-size"), help: "G, completions sampled per prompt (2-256).")
    var groupSize: Int = 8

    @Option(name: .customLong("max-tokens"), help: "Maximum completion length in tokens (1-4096).")
    var maxTokens: Int = 16

    @Option(help: "Sampling temperature (0 < T ≤ 10); the loss uses the same temperature.")
    var temperature: Double = 1

    @Option(help: "Reward recipe: math, math-r1, code, code-r1, format (default: math, or code for code tasks).")
    var recipe: String?

    @Option(
        name: .customLong("reward-columns"),
        help: ArgumentHelp(
            "Recipe components that are separate reward functions, as TRL's reward_funcs (comma-separated): "
                + "combined by --config multi_objective_aggregation=… and reward_weights=[…] instead of the recipe's "
                + "sum; a sample without a component gives that column nothing (TRL's None).",
            valueName: "names"))
    var rewardColumns: String?

    @Option(
        name: .customLong("save-every"), help: "Checkpoint every N steps (1-100000; the last step is always saved).")
    var saveEvery: Int = 25

    @Flag(help: "Continue the run in --out from its checkpoint (same settings), exactly where it stopped.")
    var resume = false

    func validate() throws {
        guard (1...100_000).contains(steps) else {
            throw ValidationError("--steps must be in 1...100000, got \(steps)")
        }
        if let stopAfter, stopAfter < 1 { throw ValidationError("--stop-after must be ≥ 1, got \(stopAfter)") }
        guard (1...1024).contains(promptsPerStep) else {
            throw ValidationError("--prompts-per-step must be in 1...1024, got \(promptsPerStep)")
        }
        guard (2...256).contains(groupSize) else {
            throw ValidationError("--group-size must be in 2...256, got \(groupSize)")
        }
        guard (1...4096).contains(maxTokens) else {
            throw ValidationError("--max-tokens must be in 1...4096, got \(maxTokens)")
        }
        guard temperature > 0, temperature <= 10 else {
            throw ValidationError("--temperature must be in (0, 10], got \(temperature)")
        }
        guard (1...100_000).contains(saveEvery) else { throw ValidationError("--save-every must be in 1...100000") }
    }

    /// `--reward-columns` as names, checked against `reward_weights`; nil without the option.
    func columnNames(_ grpo: GRPOConfig) throws -> [String]? {
        guard let rewardColumns else {
            if let w = grpo.rewardWeights, w.count != 1 {
                throw ValidationError(
                    "reward_weights has \(w.count) weights but the recipe is one reward: name its components with "
                        + "--reward-columns")
            }
            return nil
        }
        let names = rewardColumns.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty }), Set(names).count == names.count else {
            throw ValidationError("--reward-columns must be distinct component names, got \"\(rewardColumns)\"")
        }
        if let w = grpo.rewardWeights, w.count != names.count {
            throw ValidationError("reward_weights has \(w.count) weights for \(names.count) --reward-columns")
        }
        return names
    }

    /// Every setting of the run, as written to config.json and compared on --resume.
    func settings(_ grpo: GRPOConfig, recipe: String, rewardColumns columns: [String]?) -> JSON {
        let base: JSON = [
            "model": model.json, "tasks": taskOptions.json, "optimizer": optimizer.json, "grpo": .object(grpo.json),
            "steps": .int(Int64(steps)), "prompts_per_step": .int(Int64(promptsPerStep)),
            "group_size": .int(Int64(groupSize)), "max_tokens": .int(Int64(maxTokens)),
            "temperature": .double(temperature), "recipe": .string(recipe), "save_every": .int(Int64(saveEvery)),
        ]
        guard var o = base.objectValue else { return base }
        if let columns { o["reward_columns"] = .array(columns.map(JSON.string)) }
        guard algorithm.isPPO else { return .object(o) }
        o["critic"] = critic.json(lr: critic.criticLR ?? optimizer.lr)
        return .object(o)
    }

    func run() async throws {
        let grpo = try algorithm.config(temperature: temperature)
        let columns = try columnNames(grpo)
        let recipeName = recipe ?? taskOptions.defaultRecipe
        let reward = try Recipes.reward(recipeName)
        let tasks = try taskOptions.load()
        let folder = try RunFolder(out)
        let settings = rmOnline.extend(settings(grpo, recipe: recipeName, rewardColumns: columns))
        var state = TrainerState(
            step: 0, taskRNG: SeededRandom(seed: optimizer.seed ^ 0x5EED), klController: KLController(config: grpo))
        let criticOptionsGiven = critic.criticModel != nil || critic.criticLR != nil || critic.criticWarmup != 0
        guard algorithm.isPPO || !criticOptionsGiven else {
            throw ValidationError("--critic-model, --critic-lr and --critic-warmup need --algorithm ppo")
        }

        // The policy: the starting model, or the run's checkpoint when resuming.
        var (lm, tokenizer) = try model.load()
        let reference = grpo.beta != 0 || grpo.klInReward > 0 ? try lm.clone() : nil
        var valueModel = try algorithm.isPPO && !resume ? critic.startingModel(policy: lm, tokenizer: tokenizer) : nil
        if resume {
            let saved = try JSONLinesFile.read(folder.url.appendingPathComponent("config.json").path).first
            guard saved?.jsonText == settings.jsonText else {
                throw ValidationError("--resume: the settings differ from \(out)/config.json; use the same options")
            }
            lm = try Checkpoint.load(from: folder.checkpoint)
            state = try TrainerState.load(folder.stateURL)
            if algorithm.isPPO { valueModel = try ValueModel.load(from: folder.critic, tokenizer: tokenizer, seed: 0) }
        } else {
            guard !FileManager.default.fileExists(atPath: folder.metricsURL.path) else {
                throw ValidationError("\(out) already holds a run; pass --resume or choose another --out")
            }
            try folder.writeConfig(settings)
        }
        let codec = try Codec(tokenizer: tokenizer, config: lm.config)
        var policy = TinyLMPolicy(
            model: lm, eos: codec.eos, seed: optimizer.seed, schedule: try optimizer.schedule(steps: steps),
            weightDecay: optimizer.weightDecay, maxGradNorm: optimizer.maxGradNorm)
        if resume { try policy.loadOptimizer(from: folder.checkpoint) }
        var criticModel = try valueModel.map {
            TinyLMCritic(
                model: $0, schedule: try critic.schedule(optimizer, steps: steps), weightDecay: optimizer.weightDecay,
                maxGradNorm: optimizer.maxGradNorm)
        }
        if resume { try criticModel?.loadOptimizer(from: folder.critic) }
        let referencePolicy = reference.map {
            TinyLMPolicy(model: $0, eos: codec.eos, seed: 0, schedule: policy.schedule, weightDecay: 0, maxGradNorm: 0)
        }
        let monitor = try rmOnline.monitor(resumeFrom: resume ? folder.checkpoint : nil)
        var history = try folder.metrics(through: state.step)
        let last = min(steps, state.step + (stopAfter ?? steps))
        let bar = ProgressBar(total: steps, linesOffTerminal: true)
        var klController = state.klController ?? KLController(config: grpo)
        var step = try TrainingStep(
            config: grpo, promptsPerStep: promptsPerStep, groupSize: groupSize, maxTokens: maxTokens, tasks: tasks,
            reward: reward, codec: codec)
        step.criticWarmup = critic.criticWarmup
        step.rewardColumns = columns

        while state.step < last {
            let report = try await step.run(
                &policy, critic: &criticModel, reference: referencePolicy, taskRNG: &state.taskRNG,
                klController: &klController, step: state.step + 1)
            state.step += 1
            state.klController = klController
            var line = report.metrics
            // Online reward-model monitoring (and updates every K steps) on the groups trained on.
            for (key, value) in try monitor?.observe(step: state.step, groups: report.batch) ?? [] { line[key] = value }
            history.append(line)
            try folder.append([.object(line)], to: folder.metricsURL)
            try folder.append(
                ScoredGroup.rolloutLines(report.batch, advantages: report.advantages.perRow, step: state.step),
                to: folder.rolloutsURL)
            try folder.plot(history, title: "grpo train \(out)")
            if state.step % saveEvery == 0 || state.step == last {
                try policy.save(to: folder.checkpoint)
                try criticModel?.save(to: folder.critic)
                try monitor?.save(to: folder.checkpoint)
                try state.save(folder.stateURL)
            }
            bar.draw(state.step, StepMetrics.summary(line))
        }
        print("trained to step \(state.step) of \(steps); run folder \(out); curves \(folder.plotURL.path)")
    }
}

/// The trainer's own state beyond the policy's: the step, the batch-order generator and the KL-in-reward
/// coefficient (which an adaptive controller moves).
struct TrainerState: Codable {
    var step: Int
    var taskRNG: SeededRandom
    /// nil in the state files of runs begun before the controller existed: the config's fixed coefficient.
    var klController: KLController?

    static func load(_ url: URL) throws -> TrainerState {
        guard let data = try? Data(contentsOf: url) else { throw GRPOError("cannot read \(url.path) to resume") }
        return try JSONDecoder().decode(TrainerState.self, from: data)
    }

    func save(_ url: URL) throws { try JSONEncoder().encode(self).write(to: url, options: .atomic) }
}

extension SeededRandom: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(seed: 0)
        state = try UInt64(from: decoder)
    }
    public func encode(to encoder: any Encoder) throws { try state.encode(to: encoder) }
}

/// The registry and recipes `grpo` knows: RewardKit's and CodeRewards' built-ins.
enum Recipes {
    static func book() -> RecipeBook {
        var registry = TermRegistry.withCode
        registry.registerRewardModelTerm()
        return RecipeBook(registry: registry, recipes: RecipeBook.builtin + RecipeBook.codeRecipes)
    }
}
