import GRPO
import RewardKit

/// One prompt's group of G rollouts with their rewards.
struct ScoredGroup: Sendable {
    var task: TaskItem
    var rollouts: [Rollout]
    var texts: [String]
    var scores: [Score]

    /// Reward per rollout; nil when the recipe could not score it (`Score.error`), left out of the advantages.
    var rewards: [Double?] { scores.map { $0.error == nil ? $0.value : nil } }

    /// Whether each rollout is fully correct: the recipe's `accuracy` component (or its value) reaches 1.
    var correct: [Bool] { scores.map { $0.error == nil && ($0.components["accuracy"] ?? $0.value) >= 1 } }

    /// Scores every completion of every group in one batch: the recipe runs them concurrently (code in parallel
    /// sandboxes).
    static func score(
        _ tasks: [TaskItem], _ groups: [[Rollout]], reward: any Reward, codec: Codec
    ) async throws -> [ScoredGroup] {
        var samples: [Sample] = []
        var texts: [[String]] = []
        for (task, group) in zip(tasks, groups) {
            let t = group.map { codec.text($0.tokens) }
            texts.append(t)
            samples += zip(group, t).map { task.sample(completion: $1, tokenIDs: $0.tokens) }
        }
        let scores = await reward.score(samples)
        guard scores.count == samples.count else {
            throw GRPOError("the recipe returned \(scores.count) scores for \(samples.count) samples")
        }
        var out: [ScoredGroup] = []
        var offset = 0
        for (i, group) in groups.enumerated() {
            out.append(ScoredGroup(
                task: tasks[i], rollouts: group, texts: texts[i],
                scores: Array(scores[offset..<(offset + group.count)])))
            offset += group.count
        }
        return out
    }

    /// rollouts.jsonl lines: step, task id, prompt, completion, reward, advantage, token count, truncated.
    static func rolloutLines(_ groups: [ScoredGroup], advantages: [Double], step: Int) -> [JSON] {
        var lines: [JSON] = []
        var row = 0
        for g in groups {
            for (j, r) in g.rollouts.enumerated() {
                lines.append([
                    "step": .int(Int64(step)), "task": .string(g.task.id), "prompt": .string(g.task.prompt),
                    "completion": .string(g.texts[j]), "reward": g.rewards[j].map { .double($0) } ?? .null,
                    "advantage": .double(advantages[row]), "tokens": .int(Int64(r.tokens.count)),
                    "truncated": .bool(r.truncated),
                ])
                row += 1
            }
        }
        return lines
    }
}

/// One metrics.jsonl line.
enum StepMetrics {
    static func line(
        step: Int, generated: [ScoredGroup], outcome: DynamicSampler.Outcome<ScoredGroup>,
        losses: [PolicyLoss.Result], times: PhaseTimes, lr: Float, gradNorm: Float
    ) -> JSONObject {
        let rewards = generated.flatMap(\.rewards).compactMap { $0 }
        let correct = generated.flatMap(\.correct)
        let lengths = generated.flatMap(\.rollouts).map { Double($0.tokens.count) }
        let mean = average(rewards)
        let std = rewards.count < 2
            ? 0 : (rewards.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rewards.count - 1)).squareRoot()
        let values: [String: Double] = [
            MetricKeys.step: Double(step),
            MetricKeys.rewardMean: mean, MetricKeys.rewardStd: std,
            MetricKeys.accuracy: average(correct.map { $0 ? 1 : 0 }),
            MetricKeys.policyLoss: average(losses.map(\.pgLoss)),
            MetricKeys.kl: average(losses.map { $0.kl ?? 0 }),
            MetricKeys.entropy: average(losses.map { $0.entropy ?? 0 }),
            MetricKeys.clipLow: average(losses.map(\.clipFraction.low)),
            MetricKeys.clipHigh: average(losses.map(\.clipFraction.high)),
            MetricKeys.groupsFiltered: outcome.filteredFraction,
            MetricKeys.responseLength: average(lengths),
            MetricKeys.tokensPerSecond: times.generate > 0 ? lengths.reduce(0, +) / times.generate : 0,
            MetricKeys.learningRate: Double(lr), MetricKeys.gradNorm: Double(gradNorm),
            MetricKeys.timeGenerate: times.generate, MetricKeys.timeScore: times.score,
            MetricKeys.timeUpdate: times.update,
        ]
        return JSONObject(MetricKeys.all.map { key in
            key == MetricKeys.step ? (key, .int(Int64(step))) : (key, .double(values[key]!))
        })
    }

    static func average(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }

    /// The progress bar's note.
    static func summary(_ line: JSONObject) -> String {
        func f(_ k: String) -> String {
            let v = line[k]?.doubleValue ?? 0
            return String(Double(Int((v * 1000).rounded())) / 1000)
        }
        return "reward \(f(MetricKeys.rewardMean)) acc \(f(MetricKeys.accuracy)) entropy \(f(MetricKeys.entropy))"
    }
}
