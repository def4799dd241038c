import ArgumentParser
import Foundation
import GRPO
import RewardKit
import Tensor
import TinyLM

/// Options shared by `grpo eval` and `grpo sample`: how completions are drawn.
struct DecodeOptions: ParsableArguments {
    @Option(help: "Completions per task (1-1024).")
    var samples: Int = 1

    @Option(help: "Sampling temperature (0 = greedy, which needs --samples 1; else ≤ 10).")
    var temperature: Double = 0

    @Option(name: .customLong("max-tokens"), help: "Maximum completion length in tokens (1-4096).")
    var maxTokens: Int = 16

    @Option(help: "Seed of the sampling generator (any unsigned integer).")
    var seed: UInt64 = 0

    @Option(help: "Reward recipe (default: math, or code for code tasks).")
    var recipe: String?

    func validate() throws {
        guard (1...1024).contains(samples) else {
            throw ValidationError("--samples must be in 1...1024, got \(samples)")
        }
        guard temperature >= 0, temperature <= 10 else {
            throw ValidationError("--temperature must be in [0, 10], got \(temperature)")
        }
        if temperature == 0 && samples > 1 {
            throw ValidationError("greedy decoding (--temperature 0) gives one sample")
        }
        guard (1...4096).contains(maxTokens) else {
            throw ValidationError("--max-tokens must be in 1...4096, got \(maxTokens)")
        }
    }

    /// Every task's completions, scored: generation in chunks of at most 256 sequences.
    func run(_ tasks: [TaskItem], model: ModelOptions, taskOptions: TaskOptions) async throws -> [ScoredGroup] {
        let (lm, tokenizer) = try model.load()
        let codec = try Codec(tokenizer: tokenizer, config: lm.config)
        let reward = try Recipes.reward(recipe ?? taskOptions.defaultRecipe)
        let schedule = try LRSchedule(peak: 0, totalSteps: 1)
        var policy = TinyLMPolicy(
            model: lm, eos: codec.eos, seed: seed, schedule: schedule, weightDecay: 0, maxGradNorm: 0)
        let chunk = max(1, 256 / samples)
        var out: [ScoredGroup] = []
        for start in stride(from: 0, to: tasks.count, by: chunk) {
            let part = Array(tasks[start..<min(tasks.count, start + chunk)])
            let groups = try policy.generate(
                prompts: part.map(codec.prompt), count: samples, maxTokens: maxTokens, temperature: temperature)
            out += try await ScoredGroup.score(part, groups, reward: reward, codec: codec)
        }
        return out
    }
}

/// `grpo eval`: pass@1 and pass@k on a task split.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Report pass@1 and pass@k (unbiased estimator of Chen et al. 2021) on a task split, as JSON.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var taskOptions: TaskOptions
    @OptionGroup var decode: DecodeOptions

    @Option(help: "Comma-separated k values for pass@k, each in 1...samples (default: 1 and samples).")
    var k: String?

    func run() async throws {
        let ks =
            try k.map { list in
                try list.split(separator: ",").map { s in
                    guard let v = Int(s.trimmingCharacters(in: .whitespaces)), (1...decode.samples).contains(v) else {
                        throw ValidationError("--k: \"\(s)\" is not an integer in 1...\(decode.samples)")
                    }
                    return v
                }
            } ?? Array(Set([1, decode.samples])).sorted()
        let tasks = try taskOptions.load()
        let groups = try await decode.run(tasks, model: model, taskOptions: taskOptions)
        let counts = groups.map { (n: $0.correct.count, c: $0.correct.filter { $0 }.count) }
        var report: [(String, JSON)] = [
            ("tasks", .int(Int64(tasks.count))), ("split", .string(taskOptions.split)),
            ("samples", .int(Int64(decode.samples))), ("temperature", .double(decode.temperature)),
        ]
        for k in ks { report.append(("pass@\(k)", .double(try PassAtK.mean(counts, k: k)))) }
        let unscorable = groups.flatMap(\.scores).filter { $0.error != nil }.count
        report.append(("unscorable", .int(Int64(unscorable))))
        print(JSON.object(JSONObject(report)).jsonText)
    }
}

/// `grpo sample`: prints completions with their rewards.
struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Print completions of tasks with their rewards, one JSON line each.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var taskOptions: TaskOptions
    @OptionGroup var decode: DecodeOptions

    func run() async throws {
        let groups = try await decode.run(try taskOptions.load(), model: model, taskOptions: taskOptions)
        for g in groups {
            for (j, text) in g.texts.enumerated() {
                let line: JSON = [
                    "task": .string(g.task.id), "prompt": .string(g.task.prompt), "completion": .string(text),
                    "reward": g.rewards[j].map { .double($0) } ?? .null,
                    "error": g.scores[j].error.map { .string($0) } ?? .null,
                ]
                print(line.jsonText)
            }
        }
    }
}
