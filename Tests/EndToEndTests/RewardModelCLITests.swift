import Foundation
import RewardKit
import Testing

/// `grpo tasks --pairs`, `grpo rm train|eval`, the `reward_model` term in `reward check` and `grpo train` with
/// `--rm-update-every`, end to end on the tiny model (seconds each).
@Suite(.serialized) struct RewardModelCLITests {
    static func scratch(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-rm-\(name)-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func lines(_ url: URL) throws -> [JSONObject] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONParser.parse(String($0)).objectValue)
        }
    }

    /// Generator pairs of arith:5 (correct two-step demonstration ≻ the first step only).
    static func pairs(in dir: URL) async throws -> URL {
        let out = try await Binary("grpo").run(["tasks", "--tasks", "arith:5", "--task-count", "60", "--pairs"])
        #expect(out.status == 0, "\(out.stderr)")
        let file = dir.appendingPathComponent("pairs.jsonl")
        try out.stdout.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    static let train = [
        "--init", "tiny", "--steps", "6", "--batch-size", "4", "--save-every", "3", "--eval-percent", "20",
        "--eval-pairs", "16", "--lr", "3e-3",
    ]

    @Test func tasksWritePairsOfCorrectAndFlawedDemonstrations() async throws {
        let dir = try Self.scratch("pairs")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rows = try Self.lines(try await Self.pairs(in: dir))
        #expect(rows.count == 60)
        for row in rows {
            let chosen = try #require(row["chosen"]?.stringValue)
            let rejected = try #require(row["rejected"]?.stringValue)
            #expect(chosen.split(separator: "\n").count == 2 && chosen.hasPrefix(rejected + "\n"))
            #expect(row["prompt"]?.stringValue?.hasSuffix("now?\n") == true)
        }
        let none = try await Binary("grpo").run([
            "tasks", "--tasks", "arith:1", "--task-count", "3", "--pairs", "--split", "heldout",
        ])
        #expect(none.status == 0 && none.lines.count == 3)  // arith:1's flawed answer is off by one: pairs exist
    }

    /// The folder holds an HF reward model and a per-step log with held-out accuracy and calibration; a run stopped
    /// and resumed ends with the same weights as an uninterrupted one; `rm eval` prints the ranking figures.
    @Test func trainResumeAndEval() async throws {
        let dir = try Self.scratch("train")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try await Self.pairs(in: dir)
        let grpo = try Binary("grpo")
        let whole = dir.appendingPathComponent("whole")
        let parts = dir.appendingPathComponent("parts")
        let a = try await grpo.run(["rm", "train", "--data", data.path, "--out", whole.path] + Self.train)
        #expect(a.status == 0, "\(a.stderr)")
        let log = try Self.lines(whole.appendingPathComponent("metrics.jsonl"))
        #expect(log.map { $0["step"]?.intValue } == [1, 2, 3, 4, 5, 6])
        for line in log {
            #expect(line["loss"]?.doubleValue?.isFinite == true)
            #expect(line["eval/accuracy"]?.doubleValue != nil)
            #expect(line["eval/calibration"]?.arrayValue?.count == 5)
        }
        let config = try String(contentsOf: whole.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("LlamaForSequenceClassification"))
        let b = try await grpo.run(
            ["rm", "train", "--data", data.path, "--out", parts.path, "--stop-after", "3"] + Self.train)
        #expect(b.status == 0, "\(b.stderr)")
        let c = try await grpo.run(["rm", "train", "--data", data.path, "--out", parts.path, "--resume"] + Self.train)
        #expect(c.status == 0, "\(c.stderr)")
        for file in ["model.safetensors", "optimizer.safetensors"] {
            #expect(
                try Data(contentsOf: parts.appendingPathComponent(file))
                    == Data(contentsOf: whole.appendingPathComponent(file)), "\(file)")
        }
        let again = try await grpo.run(["rm", "train", "--data", data.path, "--out", whole.path] + Self.train)
        #expect(again.status != 0 && again.stderr.contains("--resume"))

        let eval = try await grpo.run(["rm", "eval", "--model", whole.path, "--data", data.path])
        #expect(eval.status == 0, "\(eval.stderr)")
        let e = try #require(try JSONParser.parse(eval.stdout).objectValue)
        #expect(e["pairs"]?.intValue == 60)
        for key in ["accuracy", "margin_mean", "calibration_error"] { #expect(e[key]?.doubleValue != nil, "\(key)") }

        let notRM = try await grpo.run(["rm", "eval", "--model", "/nonexistent", "--data", data.path])
        #expect(notRM.status != 0 && notRM.stderr.contains("/nonexistent"))
    }

    /// Outcome-labelled data (`label`, or `reward` as in a `grpo train` run's rollouts.jsonl, a null reward skipped)
    /// trains with the pointwise loss; a language-model checkpoint given as `--model` starts a reward model with a new
    /// head; TRL's centring term raises the first step's loss by c · mean((r_c + r_r)²) > 0.
    @Test func outcomeLabelsALanguageModelStartAndCentring() async throws {
        let dir = try Self.scratch("outcomes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try await Self.pairs(in: dir)
        var outcomes = ""
        for (i, pair) in try Self.lines(data).enumerated() {
            let prompt = pair["prompt"]!.jsonText
            outcomes += #"{"prompt":\#(prompt),"completion":\#(pair["chosen"]!.jsonText),"label":1}"# + "\n"
            let key = i % 2 == 0 ? "label" : "reward"  // rollouts.jsonl says reward
            outcomes += #"{"prompt":\#(prompt),"completion":\#(pair["rejected"]!.jsonText),"\#(key)":0}"# + "\n"
        }
        outcomes += #"{"prompt":"Ann has 1 pen.\n","completion":"1","reward":null}"# + "\n"
        let file = dir.appendingPathComponent("outcomes.jsonl")
        try outcomes.write(to: file, atomically: true, encoding: .utf8)
        let grpo = try Binary("grpo")

        let pointwise = dir.appendingPathComponent("pointwise")
        let a = try await grpo.run(["rm", "train", "--data", file.path, "--out", pointwise.path] + Self.train)
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.contains("1 without a label (skipped)"), "the null reward is counted: \(a.stdout)")
        let log = try Self.lines(pointwise.appendingPathComponent("metrics.jsonl"))
        #expect(log.count == 6 && log.allSatisfy { $0["loss"]?.doubleValue?.isFinite == true })
        // Pointwise BCE starts near log 2 for a fresh head (scores ≈ 0), not near a pairwise loss of a margin.
        #expect(abs((log[0]["loss"]?.doubleValue ?? 0) - Foundation.log(2.0)) < 0.2, "\(log[0])")
        #expect(log.allSatisfy { $0["eval/accuracy"]?.doubleValue != nil }, "pairs implied by the held-out labels")

        let lm = dir.appendingPathComponent("lm")
        let sft = try await grpo.run([
            "sft", "--init", "tiny", "--tasks", "arith:1", "--task-count", "8", "--steps", "1", "--out", lm.path,
        ])
        #expect(sft.status == 0, "\(sft.stderr)")
        let fromLM = dir.appendingPathComponent("from-lm")
        let b = try await grpo.run(
            ["rm", "train", "--data", data.path, "--out", fromLM.path] + Self.train + ["--model", lm.path])
        #expect(b.status == 0, "\(b.stderr)")
        let config = try String(contentsOf: fromLM.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("LlamaForSequenceClassification"))

        func firstLoss(_ extra: [String], _ name: String) async throws -> Double {
            let out = dir.appendingPathComponent(name)
            let r = try await grpo.run(
                ["rm", "train", "--data", data.path, "--out", out.path] + Self.train + ["--steps", "1"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return try #require(try Self.lines(out.appendingPathComponent("metrics.jsonl")).first?["loss"]?.doubleValue)
        }
        let plain = try await firstLoss([], "plain")
        let centred = try await firstLoss(["--center-rewards-coefficient", "1"], "centred")
        #expect(centred > plain, "\(centred) vs \(plain)")
        let refused = try await grpo.run(
            [
                "rm", "train", "--data", data.path, "--out", dir.appendingPathComponent("x").path,
                "--center-rewards-coefficient", "-1",
            ])
        #expect(refused.status != 0 && refused.stderr.contains("center-rewards-coefficient"), "\(refused.stderr)")
    }

    /// A run with online updates every 3 steps, stopped after step 2 and resumed, equals an uninterrupted one: the
    /// pairs collected since the last update travel in the checkpoint (`pending_pairs.jsonl`), and the curves
    /// show the reward model's panels.
    @Test func onlineUpdatesResumeExactlyBetweenUpdates() async throws {
        let dir = try Self.scratch("online-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try await Self.pairs(in: dir)
        let rm = dir.appendingPathComponent("rm")
        let grpo = try Binary("grpo")
        let trained = try await grpo.run(["rm", "train", "--data", data.path, "--out", rm.path] + Self.train)
        #expect(trained.status == 0, "\(trained.stderr)")
        // Labels that split every group: the parity of the completion's bytes, from an external command.
        let labeller = dir.appendingPathComponent("parity.py")
        try """
        import json, sys
        for line in sys.stdin:
            print(json.dumps({"reward": sum(json.loads(line)["completion"].encode()) % 2}), flush=True)
        """.write(to: labeller, atomically: true, encoding: .utf8)
        let recipe = dir.appendingPathComponent("parity.json")
        try """
        {"reward": {"sum": [{"term": "reward_model", "name": "rm", "params": {"path": "\(rm.path)"}},
          {"term": "command", "name": "accuracy", "weight": 0, "params": {"argv": ["python3", "\(labeller.path)"]}}]}}
        """.write(to: recipe, atomically: true, encoding: .utf8)
        let args = [
            "--init", "tiny", "--tasks", "arith:5", "--task-count", "20", "--steps", "4", "--prompts-per-step", "2",
            "--group-size", "4", "--max-tokens", "8", "--recipe", recipe.path, "--rm", rm.path,
            "--rm-update-every", "3", "--save-every", "1", "--entropy-coef", "0.01",
        ]
        let whole = dir.appendingPathComponent("whole")
        let parts = dir.appendingPathComponent("parts")
        let a = try await grpo.run(["train", "--out", whole.path] + args)
        #expect(a.status == 0, "\(a.stderr)")
        let b = try await grpo.run(["train", "--out", parts.path, "--stop-after", "2"] + args)
        #expect(b.status == 0, "\(b.stderr)")
        let pending = try String(
            contentsOf: parts.appendingPathComponent("checkpoint/reward_model/pending_pairs.jsonl"), encoding: .utf8)
        let metrics = try Self.lines(whole.appendingPathComponent("metrics.jsonl"))
        let early = metrics.prefix(2).map { $0["rm/fresh_pairs"]?.intValue ?? 0 }.reduce(0, +)
        #expect(early > 0, "the labels must split some group before the stop, or this test proves nothing")
        #expect(pending.split(separator: "\n").count == early, "every pair of steps 1-2 is in the checkpoint")
        let c = try await grpo.run(["train", "--out", parts.path, "--resume"] + args)
        #expect(c.status == 0, "\(c.stderr)")
        #expect(metrics[2]["rm/updates"] != nil, "the update at step 3 ran")
        func deterministic(_ lines: [JSONObject]) -> [JSONObject] {
            lines.map {
                JSONObject(
                    $0.entries.filter { !$0.key.hasPrefix("time/") && $0.key != "tokens_per_s" }.map {
                        ($0.key, $0.value)
                    })
            }
        }
        #expect(deterministic(try Self.lines(parts.appendingPathComponent("metrics.jsonl"))) == deterministic(metrics))
        for file in ["checkpoint/reward_model/model.safetensors", "checkpoint/model.safetensors"] {
            #expect(
                try Data(contentsOf: parts.appendingPathComponent(file))
                    == Data(contentsOf: whole.appendingPathComponent(file)), "\(file)")
        }
        let svg = try String(contentsOf: whole.appendingPathComponent("curves.svg"), encoding: .utf8)
        #expect(svg.contains("rm/fresh_accuracy") && svg.contains("reward model score"))
    }

    /// The term in `reward check` (mixed with the verifier) and in `grpo train`, watched every step and updated
    /// online every 2 steps: the rm/ metrics are logged and the updated model is checkpointed with the run.
    @Test func termInRewardCheckAndOnlineUpdatesInGRPOTrain() async throws {
        let dir = try Self.scratch("online")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try await Self.pairs(in: dir)
        let rm = dir.appendingPathComponent("rm")
        let trained = try await Binary("grpo").run(["rm", "train", "--data", data.path, "--out", rm.path] + Self.train)
        #expect(trained.status == 0, "\(trained.stderr)")
        let recipe = dir.appendingPathComponent("mix.json")
        try """
        {"reward": {"sum": [{"term": "math", "name": "accuracy"},
          {"term": "reward_model", "name": "rm", "weight": 0.1, "params": {"path": "\(rm.path)", "batch_size": 4}}]}}
        """.write(to: recipe, atomically: true, encoding: .utf8)
        let input = #"{"prompt": "Ann has 3 pens. How many pens now?\n", "completion": "3", "answer": "3"}"# + "\n"
        let check = try await Binary("reward").run(["check", "--recipe", recipe.path], stdin: input)
        #expect(check.status == 0, "\(check.stderr)")
        let row = try #require(try JSONParser.parse(check.stdout).objectValue)
        let rmScore = try #require(row["components"]?.objectValue?["rm"]?.doubleValue)
        #expect(abs((row["reward"]?.doubleValue ?? 0) - (1 + 0.1 * rmScore)) < 1e-9)

        // A random policy is never right on arith:5, so the labels here come from another component: an untrained
        // model's score scaled up and clamped, accuracy 1 where it is > 0 (often one-sided: then no pairs and no
        // update). It exercises the plumbing only.
        let labeller = dir.appendingPathComponent("labeller")
        let made = try await Binary("grpo").run(
            [
                "rm", "train", "--data", data.path, "--out", labeller.path, "--init", "tiny", "--init-seed", "5",
                "--steps", "1", "--lr", "1e-9", "--eval-percent", "0",
            ])
        #expect(made.status == 0, "\(made.stderr)")
        let labelled = dir.appendingPathComponent("labelled.json")
        try """
        {"reward": {"sum": [{"term": "reward_model", "name": "rm", "params": {"path": "\(rm.path)"}},
          {"clamp": {"scale": {"term": "reward_model", "params": {"path": "\(labeller.path)"}}, "factor": 1e6},
           "min": 0, "max": 1, "name": "accuracy", "weight": 0}]}}
        """.write(to: labelled, atomically: true, encoding: .utf8)
        let run = dir.appendingPathComponent("run")
        let out = try await Binary("grpo").run([
            "train", "--out", run.path, "--init", "tiny", "--tasks", "arith:5", "--task-count", "20", "--steps", "4",
            "--prompts-per-step", "2", "--group-size", "4", "--max-tokens", "8", "--recipe", labelled.path,
            "--rm", rm.path, "--rm-update-every", "2", "--save-every", "2", "--entropy-coef", "0.01",
        ])
        #expect(out.status == 0, "\(out.stderr)")
        let metrics = try Self.lines(run.appendingPathComponent("metrics.jsonl"))
        #expect(metrics.count == 4)
        #expect(metrics.allSatisfy { $0["rm/score_mean"]?.doubleValue != nil && $0["rm/fresh_pairs"]?.intValue != nil })
        // An update runs at steps 2 and 4 exactly when the two steps before it produced pairs.
        let pairs = metrics.map { $0["rm/fresh_pairs"]?.intValue ?? 0 }
        let expected = [false, pairs[0] + pairs[1] > 0, false, pairs[2] + pairs[3] > 0]
        #expect(metrics.map { $0["rm/updates"] != nil } == expected)
        #expect(
            FileManager.default.fileExists(
                atPath: run.appendingPathComponent("checkpoint/reward_model/model.safetensors").path))
        let refused = try await Binary("grpo").run(["train", "--out", "/tmp/never", "--rm-update-every", "2"])
        #expect(refused.status != 0 && refused.stderr.contains("--rm"))
    }
}
