/// N-gram repetition penalty: `max_penalty · (1 − distinct n-grams / total n-grams)`, in [max_penalty, 0].
///
/// open-r1's `get_repetition_penalty_reward(ngram_size, max_penalty)` (src/open_r1/rewards.py), after
/// Yeo et al. 2025, "Demystifying Long Chain-of-Thought Reasoning in LLMs", App. C.2. Over words it follows
/// open-r1 exactly: lower-cased, `str.split()` words; 0 for an empty completion or one with fewer words than
/// `ngram_size`. Over tokens (ours) the same formula runs on `completion_token_ids`.
public struct RepetitionPenaltyReward: SampleReward {
    public enum Unit: String, Sendable, CaseIterable { case words, tokens }

    public let ngramSize: Int
    public let maxPenalty: Double
    public let unit: Unit

    /// - Precondition: `ngramSize >= 1` and `maxPenalty <= 0` (recipes check both and say so).
    public init(ngramSize: Int = 3, maxPenalty: Double = -1, unit: Unit = .words) {
        precondition(ngramSize >= 1, "ngramSize must be at least 1, got \(ngramSize)")
        precondition(maxPenalty <= 0, "maxPenalty \(maxPenalty) should not be positive")
        self.ngramSize = ngramSize
        self.maxPenalty = maxPenalty
        self.unit = unit
    }

    public func score(_ sample: Sample) -> Score {
        switch unit {
        case .words:
            let text = sample.completionText
            if text.isEmpty { return Score(0) }
            let words = Words.split(text.lowercased()).map(String.init)
            return Score(penalty(words))
        case .tokens:
            guard let ids = sample.completionTokenIDs else {
                return .failure("repetition over tokens needs the sample's completion_token_ids")
            }
            return Score(penalty(ids))
        }
    }

    func penalty<T: Hashable>(_ items: [T]) -> Double {
        guard items.count >= ngramSize, !items.isEmpty else { return 0 }
        var distinct = Set<ArraySlice<T>>()
        let total = items.count - ngramSize + 1
        for i in 0..<total { distinct.insert(items[i..<(i + ngramSize)]) }
        let scaling = 1 - Double(distinct.count) / Double(total)
        return scaling * maxPenalty
    }
}
