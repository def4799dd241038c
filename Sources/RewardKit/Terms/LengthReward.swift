/// Kimi 1.5's length reward: within a group, λ = 0.5 − (len − min_len)/(max_len − min_len); a correct
/// completion gets λ, a wrong one min(0, λ); all zeros when every length in the group is equal.
///
/// Follows open-r1's `len_reward` (src/open_r1/rewards.py), after Kimi k1.5 (arXiv:2501.12599, §2.3.3).
/// Deliberate difference: open-r1 normalises over whatever batch TRL hands it (every prompt at once); Kimi
/// defines it over the responses to one problem. Here `group_by` chooses: `"prompt"` (default, Kimi: samples
/// with the same prompt), any other field name (e.g. `"uid"`), or `"batch"` (open-r1's behaviour).
/// Correctness comes from another reward (`correctness`, default the `math` term): value ≥ 1 − 1e-9 is correct.
/// A sample whose correctness could not be judged gets that error.
public struct LengthReward: Reward {
    public let correctness: any Reward
    public let unit: LengthUnit
    public let groupBy: String

    public init(correctness: any Reward, unit: LengthUnit = .characters, groupBy: String = "prompt") {
        self.correctness = correctness
        self.unit = unit
        self.groupBy = groupBy
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        let correct = await correctness.score(batch)
        var out = [Score?](repeating: nil, count: batch.count)
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        for (i, s) in batch.enumerated() {
            let key = Grouping.key(of: s, by: groupBy)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        for key in order {
            let members = groups[key]!
            var lengths: [Int: Int] = [:]
            for i in members {
                if let e = correct[i].error {
                    out[i] = .failure("correctness: \(e)")
                } else if let n = unit.length(of: batch[i]) {
                    lengths[i] = n
                } else {
                    out[i] = unit.missing()
                }
            }
            guard let lo = lengths.values.min(), let hi = lengths.values.max() else { continue }
            for (i, n) in lengths {
                let isCorrect = correct[i].value >= 1 - 1e-9
                if hi == lo {
                    out[i] = Score(0, components: ["length": Double(n)])
                    continue
                }
                let lambda = 0.5 - Double(n - lo) / Double(hi - lo)
                out[i] = Score(isCorrect ? lambda : min(0, lambda), components: ["length": Double(n)])
            }
        }
        return out.map { $0! }
    }
}

/// How samples are put into groups for group-relative terms.
enum Grouping {
    /// `"batch"`: one group; `"prompt"`: the prompt text; another name: that field's JSON text.
    static func key(of sample: Sample, by field: String) -> String {
        switch field {
        case "batch": return ""
        case "prompt": return sample.prompt
        default: return sample.fields[field]?.jsonText ?? "\u{0}missing"
        }
    }
}
