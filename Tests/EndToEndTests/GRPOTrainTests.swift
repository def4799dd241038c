import Foundation
import GRPO
import RewardKit
import Testing

/// End-to-end runs of the built `grpo` on a tiny config (seconds each).
@Suite(.serialized) struct GRPOTrainTests {
    static let tiny = [
        "--init", "tiny", "--tasks", "arith:1", "--task-count", "20", "--steps", "4", "--prompts-per-step", "2",
        "--group-size", "4", "--max-tokens", "6", "--save-every", "1", "--iterations", "2", "--beta", "0.01",
        "--entropy-coef", "0.01",  // a gradient even when every reward of a random model is 0
    ]

    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-train-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        return dir
    }

    static func metrics(_ dir: URL) throws -> [JSONObject] {
        let text = try String(contentsOf: dir.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try #require(try JSONParser.parse(String($0)).objectValue) }
    }

    /// The metric lines without wall-clock figures.
    static func deterministic(_ lines: [JSONObject]) -> [JSONObject] {
        lines.map {
            JSONObject(
                $0.entries.filter { !$0.key.hasPrefix("time/") && $0.key != "tokens_per_s" }.map { ($0.key, $0.value) })
        }
    }

    @Test func trainWritesTheRunFolder() async throws {
        let dir = try Self.scratch("folder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try await Binary("grpo").run(["train", "--out", dir.path] + Self.tiny)
        #expect(out.status == 0, "\(out.stderr)")
        for file in [
            "config.json", "metrics.jsonl", "rollouts.jsonl", "curves.svg", "checkpoint/model.safetensors",
            "checkpoint/config.json", "checkpoint/optimizer.safetensors", "checkpoint/trainer_state.json",
        ] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "\(file)")
        }
        let lines = try Self.metrics(dir)
        #expect(lines.map { $0["step"]?.intValue } == [1, 2, 3, 4])
        let stepLines = out.stderr.split(separator: "\n").filter { $0.hasPrefix("step ") }
        #expect(
            stepLines.map { $0.split(separator: " ")[1] } == ["1/4", "2/4", "3/4", "4/4"],
            "off a terminal, one progress line per step: \(out.stderr)")
        for key in [
            "reward/mean", "reward/std", "accuracy", "loss/policy", "kl", "entropy", "clip_frac/low",
            "clip_frac/high", "groups/filtered", "response_length", "tokens_per_s", "time/generate", "time/score",
            "time/update",
        ] {
            #expect(lines.allSatisfy { $0[key]?.doubleValue?.isFinite == true }, "\(key)")
        }
        #expect(lines.allSatisfy { ($0["entropy"]?.doubleValue ?? 0) > 0 && ($0["grad_norm"]?.doubleValue ?? 0) > 0 })
        let config = try #require(
            try JSONParser.parse(String(contentsOf: dir.appendingPathComponent("config.json"), encoding: .utf8))
                .objectValue)
        #expect(config["grpo"]?.objectValue?["beta"]?.doubleValue == 0.01)
        #expect(config["group_size"]?.intValue == 4)
        let rollouts = try String(contentsOf: dir.appendingPathComponent("rollouts.jsonl"), encoding: .utf8)
        #expect(rollouts.split(separator: "\n").count == 4 * 2 * 4)
        let svg = try String(contentsOf: dir.appendingPathComponent("curves.svg"), encoding: .utf8)
        #expect(svg.contains("reward/mean") && svg.contains("<polyline"))
        // A second run into the same folder without --resume is refused.
        let again = try await Binary("grpo").run(["train", "--out", dir.path] + Self.tiny)
        #expect(again.status != 0 && again.stderr.contains("--resume"))
    }

    /// SFT's progress lines reach a pipe while it runs, not when it exits and its buffer is flushed.
    @Test func sftProgressArrivesWhileItRuns() async throws {
        let dir = try Self.scratch("sft-progress")
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = try Binary("grpo").url
        p.arguments = [
            "sft", "--init", "tiny", "--tasks", "arith:1", "--task-count", "20", "--steps", "100000",
            "--batch-size", "4", "--log-every", "1", "--out", dir.path,
        ]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer {
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
        }
        // A watchdog, not a wait: a run that never prints is stopped after 120 s, which ends the read below.
        DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if p.isRunning { p.terminate() } }
        var seen = ""
        while !seen.contains("sft step 1/100000"), p.isRunning {
            let chunk = out.fileHandleForReading.availableData  // blocks until bytes arrive or the pipe closes
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("sft step 1/100000 loss"), "no progress line arrived: \(seen)")
        #expect(p.isRunning, "the first progress line arrived only when the run ended")
    }

    @Test func resumedRunEqualsAnUninterruptedOne() async throws {
        let whole = try Self.scratch("whole")
        let parts = try Self.scratch("parts")
        defer {
            try? FileManager.default.removeItem(at: whole)
            try? FileManager.default.removeItem(at: parts)
        }
        let grpo = try Binary("grpo")
        #expect(try await grpo.run(["train", "--out", whole.path] + Self.tiny).status == 0)
        let first = try await grpo.run(["train", "--out", parts.path, "--stop-after", "2"] + Self.tiny)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Self.metrics(parts).count == 2)
        let second = try await grpo.run(["train", "--out", parts.path, "--resume"] + Self.tiny)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Self.deterministic(try Self.metrics(parts)) == Self.deterministic(try Self.metrics(whole)))
        for file in ["checkpoint/model.safetensors", "checkpoint/optimizer.safetensors"] {
            #expect(
                try Data(contentsOf: parts.appendingPathComponent(file))
                    == Data(contentsOf: whole.appendingPathComponent(file)), "\(file)")
        }
        // Resuming with different settings is refused.
        let changed = try await grpo.run(
            ["train", "--out", parts.path, "--resume"] + Self.tiny + ["--temperature", "0.5"])
        #expect(changed.status != 0)
    }

    /// `--help` states what each preset sets an algorithm option to, read from the presets themselves.
    @Test func helpStatesThePresetDefaults() async throws {
        let help = try await Binary("grpo").run(["train", "--help"]).stdout
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let epsilonHigh = [GRPOConfig(), .trl, .verl, .dapo].map { $0.epsilonHigh }
        #expect(Set(epsilonHigh).count > 1, "the presets differ in ε_high, so the help must list them")
        #expect(help.contains("default by preset: default \(epsilonHigh[0]), trl \(epsilonHigh[1])"), "\(help)")
        #expect(help.contains("dapo \(GRPOConfig.dapo.dynamicSampling ? "on" : "off")"))
    }

    /// `--algorithm ppo`: the critic's checkpoint and optimizer in checkpoint/critic/, the critic metrics under
    /// verl's names in metrics.jsonl and curves.svg, and a run resumed mid-way equal to an uninterrupted one
    /// (the critic's weights and optimizer state included); adaptive KL in the reward and two mini-batches on.
    @Test func ppoRunsWithACriticAndResumesExactly() async throws {
        let whole = try Self.scratch("ppo-whole")
        let parts = try Self.scratch("ppo-parts")
        defer {
            try? FileManager.default.removeItem(at: whole)
            try? FileManager.default.removeItem(at: parts)
        }
        let ppo =
            Self.tiny + [
                "--algorithm", "ppo", "--critic-lr", "3e-3", "--critic-warmup", "1", "--lam", "0.95", "--mini-batches",
                "2", "--kl-in-reward", "0.05", "--kl-ctrl", "adaptive", "--kl-target", "0.01", "--kl-horizon", "40",
            ]
        let grpo = try Binary("grpo")
        let out = try await grpo.run(["train", "--out", whole.path] + ppo)
        #expect(out.status == 0, "\(out.stderr)")
        for file in [
            "checkpoint/critic/model.safetensors", "checkpoint/critic/config.json",
            "checkpoint/critic/optimizer.safetensors",
        ] {
            #expect(FileManager.default.fileExists(atPath: whole.appendingPathComponent(file).path), "\(file)")
        }
        let config = try String(
            contentsOf: whole.appendingPathComponent("checkpoint/critic/config.json"), encoding: .utf8)
        #expect(config.contains("LlamaForTokenClassification"))
        let lines = try Self.metrics(whole)
        #expect(lines.count == 4)
        for key in [
            "critic/vf_loss", "critic/vf_clipfrac", "critic/vf_explained_var", "critic/values/mean",
            "critic/returns/mean", "critic/advantages/mean", "actor/reward_kl_penalty", "actor/reward_kl_penalty_coeff",
        ] {
            #expect(lines.allSatisfy { $0[key]?.doubleValue?.isFinite == true }, "\(key)")
        }
        // Step 1 is the critic's warmup: the policy takes no step (loss and clip fractions 0).
        #expect(lines[0]["loss/policy"]?.doubleValue == 0 && lines[0]["grad_norm"]?.doubleValue == 0)
        #expect(lines[1]["grad_norm"]?.doubleValue ?? 0 > 0)
        // The adaptive controller moved the coefficient from 0.05.
        #expect(lines[3]["actor/reward_kl_penalty_coeff"]?.doubleValue != 0.05)
        let svg = try String(contentsOf: whole.appendingPathComponent("curves.svg"), encoding: .utf8)
        #expect(svg.contains("critic/vf_loss") && svg.contains("critic/vf_explained_var"))

        let first = try await grpo.run(["train", "--out", parts.path, "--stop-after", "2"] + ppo)
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await grpo.run(["train", "--out", parts.path, "--resume"] + ppo)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(Self.deterministic(try Self.metrics(parts)) == Self.deterministic(lines))
        for file in [
            "checkpoint/model.safetensors", "checkpoint/critic/model.safetensors",
            "checkpoint/critic/optimizer.safetensors",
        ] {
            #expect(
                try Data(contentsOf: parts.appendingPathComponent(file))
                    == Data(contentsOf: whole.appendingPathComponent(file)), "\(file)")
        }
    }

    /// The four estimators of the comparison run in the trainer: rloo and REINFORCE++ through
    /// --advantage-estimator; critic options without --algorithm ppo, and gae without it, are refused by name.
    @Test(arguments: ["rloo", "reinforce_plus_plus", "reinforce_plus_plus_baseline"])
    func criticFreeEstimatorsRunInTheTrainer(estimator: String) async throws {
        let dir = try Self.scratch("est-\(estimator)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let grpo = try Binary("grpo")
        let out = try await grpo.run(
            ["train", "--out", dir.path, "--advantage-estimator", estimator] + Self.tiny + ["--steps", "2"])
        #expect(out.status == 0, "\(out.stderr)")
        let config = try String(contentsOf: dir.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"advantage_estimator\":\"\(estimator)\""), "\(config)")
        #expect(try Self.metrics(dir).count == 2)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("checkpoint/critic").path))
    }

    /// Every loss the libraries name trains, with its parameters given by their names through `--config`; the run's
    /// config.json records them. (The numbers of each loss are checked against TRL's and verl's code by
    /// `grpo loss` and scripts/crosscheck; this checks that the trainer reaches them.)
    @Test(arguments: [
        ["--policy-loss", "clip_cov", "--config", "clip_cov_ratio=0.5", "--config", "clip_cov_lb=0.5"],
        ["--policy-loss", "kl_cov", "--config", "kl_cov_ratio=0.25", "--config", "ppo_kl_coef=0.2"],
        ["--policy-loss", "gspo", "--config", "epsilon=0.003"],
        ["--preset", "trl", "--loss-type", "sapo", "--config", "sapo_temperature_pos=0.5"],
        ["--preset", "trl", "--loss-type", "vespo", "--config", "vespo_k_pos=1.5"],
        ["--preset", "trl", "--loss-type", "cispo", "--epsilon-high", "0.4", "--config", "epsilon_high=5"],
        ["--preset", "trl", "--loss-type", "luspo", "--config", "reward_weights=[2]"],
    ])
    func namedLossesTrainWithTheirParameters(flags: [String]) async throws {
        let dir = try Self.scratch("loss-\(flags.joined().hashValue & 0xffff)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try await Binary("grpo").run(["train", "--out", dir.path] + Self.tiny + ["--steps", "2"] + flags)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(try Self.metrics(dir).allSatisfy { $0["loss/policy"]?.doubleValue?.isFinite == true })
        let config = try #require(
            try JSONParser.parse(String(contentsOf: dir.appendingPathComponent("config.json"), encoding: .utf8))
                .objectValue?["grpo"]?.objectValue)
        var i = 0
        while i < flags.count - 1 {
            if flags[i] == "--config" {
                let pair = flags[i + 1].split(separator: "=", maxSplits: 1).map(String.init)
                let expected = try JSONParser.parse(pair[1])
                if pair[0] == "epsilon" {  // TRL's epsilon sets both sides when epsilon_high is unset
                    #expect(config["epsilon_low"] == expected && config["epsilon_high"] == expected, "\(config)")
                } else {
                    #expect(config[pair[0]] == expected, "\(pair[0]): \(config)")
                }
            }
            i += 1
        }
    }

    /// TRL's multi-reward training: the recipe's components as reward columns, combined by the named aggregation
    /// and weights; mismatched weights are refused before anything runs.
    @Test func recipeComponentsTrainAsSeparateRewardFunctions() async throws {
        let dir = try Self.scratch("columns")
        defer { try? FileManager.default.removeItem(at: dir) }
        let grpo = try Binary("grpo")
        let columns = [
            "--recipe", "math-r1", "--reward-columns", "accuracy,format", "--preset", "trl", "--config",
            "multi_objective_aggregation=normalize_then_sum", "--config", "reward_weights=[1,0.5]",
        ]
        let out = try await grpo.run(["train", "--out", dir.path] + Self.tiny + ["--steps", "2"] + columns)
        #expect(out.status == 0, "\(out.stderr)")
        let config = try #require(
            try JSONParser.parse(String(contentsOf: dir.appendingPathComponent("config.json"), encoding: .utf8))
                .objectValue)
        #expect(config["reward_columns"] == ["accuracy", "format"])
        #expect(config["grpo"]?.objectValue?["multi_objective_aggregation"] == "normalize_then_sum")
        for (extra, named) in [
            (["--config", "reward_weights=[1,2]"], "--reward-columns"),
            (["--reward-columns", "accuracy", "--config", "reward_weights=[1,2]"], "2 weights for 1"),
            (["--reward-columns", "accuracy,,format"], "--reward-columns"),
        ] {
            let bad = try await grpo.run(["train", "--out", "/tmp/never-columns"] + Self.tiny + extra)
            #expect(bad.status != 0 && bad.stderr.contains(named), "\(extra): \(bad.stderr)")
        }
    }

    @Test func badConfigPairsAreRejectedByName() async throws {
        let grpo = try Binary("grpo")
        for (pair, named) in [
            ("clip_cov_ratoi=0.5", "clip_cov_ratoi"), ("clip_cov_ratio", "KEY=VALUE"), ("=3", "KEY=VALUE"),
            ("preset=trl", "--preset"), ("sapo_temperature_pos=hot", "sapo_temperature_pos"),
        ] {
            let out = try await grpo.run(["train", "--out", "/tmp/never-config"] + Self.tiny + ["--config", pair])
            #expect(out.status != 0)
            #expect(out.stderr.contains(named), "\(pair): \(out.stderr)")
        }
    }

    /// `--critic-model` starts the critic from another checkpoint — here a reward model of a different width, as
    /// OpenRLHF starts critics from reward models — and the run trains and checkpoints it; a folder that holds no
    /// model is named.
    @Test func ppoStartsItsCriticFromAnotherCheckpoint() async throws {
        let dir = try Self.scratch("critic-model")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let grpo = try Binary("grpo")
        let pairs = try await grpo.run(["tasks", "--tasks", "arith:5", "--task-count", "40", "--pairs"])
        try pairs.stdout.write(to: dir.appendingPathComponent("pairs.jsonl"), atomically: true, encoding: .utf8)
        let rm = dir.appendingPathComponent("rm")
        let trained = try await grpo.run([
            "rm", "train", "--init", "small", "--data", dir.appendingPathComponent("pairs.jsonl").path, "--steps", "1",
            "--eval-percent", "0", "--out", rm.path,
        ])
        #expect(trained.status == 0, "\(trained.stderr)")
        let run = dir.appendingPathComponent("run")
        let out = try await grpo.run(
            ["train", "--out", run.path] + Self.tiny + [
                "--steps", "2", "--algorithm", "ppo", "--critic-model", rm.path,
            ])
        #expect(out.status == 0, "\(out.stderr)")
        let critic = try String(
            contentsOf: run.appendingPathComponent("checkpoint/critic/config.json"), encoding: .utf8)
        let fields = try #require(try JSONParser.parse(critic).objectValue)
        #expect(critic.contains("LlamaForTokenClassification") && fields["hidden_size"]?.intValue == 128, "\(critic)")
        #expect(try Self.metrics(run).allSatisfy { $0["critic/vf_loss"]?.doubleValue?.isFinite == true })
        let missing = try await grpo.run(
            ["train", "--out", dir.appendingPathComponent("x").path] + Self.tiny
                + ["--algorithm", "ppo", "--critic-model", dir.appendingPathComponent("nothing").path])
        #expect(missing.status != 0 && missing.stderr.contains("nothing"), "\(missing.stderr)")
    }

    @Test func criticOptionsNeedPPO() async throws {
        let grpo = try Binary("grpo")
        let lr = try await grpo.run(["train", "--out", "/tmp/never-ppo", "--critic-lr", "1e-3"] + Self.tiny)
        #expect(lr.status != 0 && lr.stderr.contains("--algorithm ppo"), "\(lr.stderr)")
        let gae = try await grpo.run(["train", "--out", "/tmp/never-ppo", "--advantage-estimator", "gae"] + Self.tiny)
        #expect(gae.status != 0 && gae.stderr.contains("--algorithm ppo"), "\(gae.stderr)")
        let bad = try await grpo.run(["train", "--out", "/tmp/never-ppo", "--algorithm", "a2c"] + Self.tiny)
        #expect(bad.status != 0 && bad.stderr.contains("a2c"), "\(bad.stderr)")
    }

    @Test func badOptionsAreRejectedByName() async throws {
        let grpo = try Binary("grpo")
        for (option, value) in [("--group-size", "1"), ("--steps", "0"), ("--lr", "-1"), ("--epsilon-high", "-0.5")] {
            let out = try await grpo.run(["train", "--out", "/tmp/never", option, value])
            #expect(out.status != 0)
            #expect(out.stderr.contains(option.dropFirst(2)) || out.stderr.contains("epsilon_high"), "\(out.stderr)")
        }
    }

    /// `grpo sft --flawed-demos`: a rate outside [0, 1] and tasks without flawed demonstrations are refused by name;
    /// at rate 1 the warm start learns the flawed teacher's answer (off by one on arith:1, scored 0), at rate 0 the
    /// right one.
    @Test func flawedDemonstrationsAreDrawnOrRefusedByName() async throws {
        let grpo = try Binary("grpo")
        let dir = try Self.scratch("flawed")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let badRate = try await grpo.run([
            "sft", "--tasks", "arith:1", "--task-count", "4", "--flawed-demos", "1.5",
            "--out", dir.path,
        ])
        #expect(badRate.status != 0 && badRate.stderr.contains("1.5"), "\(badRate.stderr)")
        let tasks = dir.appendingPathComponent("plain.jsonl")
        try #"{"id":"q1","prompt":"1+1?","answer":"2","solution":"2"}"#
            .write(to: tasks, atomically: true, encoding: .utf8)
        let missing = try await grpo.run([
            "sft", "--tasks", "arbiter:\(tasks.path)", "--task-count", "1",
            "--flawed-demos", "0.5", "--out", dir.appendingPathComponent("m").path,
        ])
        #expect(missing.status != 0 && missing.stderr.contains("q1"), "\(missing.stderr)")
        // One problem learned by heart: at rate 1 the flawed teacher's answer (a + b + 1), at rate 0 the right one.
        for rate in ["1", "0"] {
            let model = dir.appendingPathComponent("sft\(rate)").path
            let sft = try await grpo.run(
                [
                    "sft", "--tasks", "arith:1", "--task-count", "1", "--flawed-demos", rate,
                    "--steps", "60", "--batch-size", "4", "--lr", "2e-2", "--log-every", "60",
                    "--out", model,
                ], timeout: 600)
            #expect(sft.status == 0, "\(sft.stderr)")
            let sample = try await grpo.run(
                [
                    "sample", "--model", model, "--tasks", "arith:1", "--task-count", "1",
                    "--max-tokens", "4",
                ], timeout: 300)
            let o = try JSONParser.parse(sample.stdout).objectValue
            let prompt = o?["prompt"]?.stringValue ?? ""
            let expected =
                prompt.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }.reduce(0, +)
                + (rate == "1" ? 1 : 0)
            #expect(o?["completion"]?.stringValue == String(expected), "rate \(rate): \(sample.stdout)")
            #expect(o?["reward"]?.doubleValue == (rate == "1" ? 0 : 1), "rate \(rate): \(sample.stdout)")
        }
    }
}
