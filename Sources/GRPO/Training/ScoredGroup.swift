import RewardKit

/// One prompt's group of G rollouts with their rewards.
public struct ScoredGroup: Sendable {
    public var task: TaskItem
    public var rollouts: [Rollout]
    /// The completions as the reward read them (`PromptCodec.text`).
    public var texts: [String]
    public var scores: [Score]

    public init(task: TaskItem, rollouts: [Rollout], texts: [String], scores: [Score]) {
        (self.task, self.rollouts, self.texts, self.scores) = (task, rollouts, texts, scores)
    }

    /// Reward per rollout; nil when the recipe could not score it (`Score.error`), left out of the advantages.
    public var rewards: [Double?] { scores.map { $0.error == nil ? $0.value : nil } }

    /// One row per rollout: the named components of its score (a reward function each, as TRL's `reward_funcs`),
    /// nil where a component is absent or the sample could not be scored.
    public func rewardColumns(_ names: [String]) -> [[Double?]] {
        scores.map { s in names.map { s.error == nil ? s.components[$0] : nil } }
    }

    /// Whether each rollout is fully correct: the recipe's `accuracy` component (or its value) reaches 1.
    public var correct: [Bool] { scores.map { $0.error == nil && ($0.components["accuracy"] ?? $0.value) >= 1 } }

    /// Scores every completion of every group in one batch: the recipe runs them concurrently (code in parallel
    /// sandboxes).
    public static func score(
        _ tasks: [TaskItem], _ groups: [[Rollout]], reward: any Reward, codec: any PromptCodec
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
            out.append(
                ScoredGroup(
                    task: tasks[i], rollouts: group, texts: texts[i],
                    scores: Array(scores[offset..<(offset + group.count)])))
            offset += group.count
        }
        return out
    }

    /// rollouts.jsonl lines: step, task id, prompt, completion, reward, advantage, token count, truncated.
    public static func rolloutLines(_ groups: [ScoredGroup], advantages: [Double], step: Int) -> [JSON] {
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
