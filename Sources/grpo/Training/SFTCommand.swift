import ArgumentParser
import Foundation
import GRPO
import Tensor
import TinyLM

/// `grpo sft`: supervised warm start on the tasks' demonstrations.
struct SFTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sft",
        abstract: "Warm-start a policy on demonstrations: cross-entropy on the answer tokens (the prompt is context).",
        discussion: "Writes the checkpoint (model.safetensors, config.json, optimizer.safetensors) into --out.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var taskOptions: TaskOptions
    @OptionGroup var optimizer: OptimizerOptions

    @Option(help: "Checkpoint folder to write.")
    var out: String

    @Option(help: "Optimizer steps (1-100000).")
    var steps: Int = 200

    @Option(name: .customLong("batch-size"), help: "Demonstrations per step (1-4096).")
    var batchSize: Int = 32

    @Option(name: .customLong("log-every"), help: "Print the mean loss every N steps (1-100000).")
    var logEvery: Int = 50

    @Option(
        name: .customLong("flawed-demos"),
        help: ArgumentHelp(
            "Probability (0-1) that a drawn demonstration is the task's flawed one: a teacher that makes the task's "
                + "characteristic mistake that often (arith: off by one, or at difficulty 5 the first step only; "
                + "python: the constant k + 1). Generated tasks only."))
    var flawedDemos: Double = 0

    func validate() throws {
        guard (1...100_000).contains(steps) else {
            throw ValidationError("--steps must be in 1...100000, got \(steps)")
        }
        guard (1...4096).contains(batchSize) else {
            throw ValidationError("--batch-size must be in 1...4096, got \(batchSize)")
        }
        guard (1...100_000).contains(logEvery) else { throw ValidationError("--log-every must be in 1...100000") }
        guard flawedDemos >= 0, flawedDemos <= 1 else {
            throw ValidationError("--flawed-demos must be in 0...1, got \(flawedDemos)")
        }
    }

    func run() throws {
        let tasks = try taskOptions.load()
        let (lm, tokenizer) = try model.load()
        let codec = try Codec(tokenizer: tokenizer, config: lm.config)
        var policy = TinyLMPolicy(
            model: lm, eos: codec.eos, seed: optimizer.seed, schedule: try optimizer.schedule(steps: steps),
            weightDecay: optimizer.weightDecay, maxGradNorm: optimizer.maxGradNorm)
        let draw = try DemonstrationDraw(tasks: tasks, flawedRate: flawedDemos)
        // Every prompt and demonstration tokenized once, not at each draw.
        let prompts = tasks.map(codec.prompt)
        let solutions = tasks.indices.map { codec.demonstration(draw.text((index: $0, flawed: false))) }
        let flawed =
            flawedDemos == 0
            ? []
            : tasks.indices.map {
                codec.demonstration(draw.text((index: $0, flawed: true)))
            }
        func example(_ d: (index: Int, flawed: Bool)) -> Rollout {
            Rollout(
                prompt: prompts[d.index], tokens: d.flawed ? flawed[d.index] : solutions[d.index], logProbs: [],
                truncated: false)
        }
        var rng = SeededRandom(seed: optimizer.seed)
        let bar = ProgressBar(total: steps)
        var running = 0.0
        for step in 1...steps {
            let batch = (0..<batchSize).map { _ in example(draw.next(&rng)) }
            let tokens = Double(batch.map(\.tokens.count).reduce(0, +))
            // loss = −(1/N) Σ log p(answer tokens): the seeds d loss / d logp are −1/N.
            let seeds = batch.map { r in [Double](repeating: -1 / tokens, count: r.tokens.count) }
            let loss = try policy.surrogate(batch, temperature: 1, gradLogProbs: seeds, gradEntropies: nil)
            running += Double(loss.item)
            loss.backward()
            policy.applyGradients()
            bar.draw(step, "loss \(loss.item)")
            if step % logEvery == 0 || step == steps {
                let n = step % logEvery == 0 ? logEvery : step % logEvery
                printFlushed("sft step \(step)/\(steps) loss \(running / Double(n))")
                running = 0
            }
        }
        try policy.save(to: URL(fileURLWithPath: out))
        print("saved \(out)")
    }
}
