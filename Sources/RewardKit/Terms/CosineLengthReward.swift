import Foundation

/// Cosine-scaled length reward: r = min_v + ½·(max_v − min_v)·(1 + cos(π·len/max_len)).
///
/// open-r1's `get_cosine_scaled_reward` (src/open_r1/rewards.py), after Yeo et al. 2025 ("Demystifying Long
/// Chain-of-Thought Reasoning in LLMs", Eq. 1). For a correct completion (min_v, max_v) = (min_value_correct,
/// max_value_correct), so shorter is better; for a wrong one (min_v, max_v) = (max_value_wrong,
/// min_value_wrong), so longer is penalised less. Length in characters by default, as open-r1.
/// Deliberate option: open-r1 lets len exceed max_len, where the cosine turns back up; `clip_length: true`
/// caps len at max_len (the paper's intent). Off by default to stay equal to open-r1.
public struct CosineLengthReward: Reward {
    public struct Values: Sendable {
        public var minWrong = -1.0, maxWrong = -0.5, minCorrect = 0.5, maxCorrect = 1.0
        public init() {}
    }

    public let correctness: any Reward
    public let values: Values
    public let maxLength: Int
    public let unit: LengthUnit
    public let clipLength: Bool

    public init(
        correctness: any Reward, values: Values = Values(), maxLength: Int = 1000, unit: LengthUnit = .characters,
        clipLength: Bool = false
    ) {
        precondition(maxLength > 0, "maxLength must be positive, got \(maxLength)")
        self.correctness = correctness
        self.values = values
        self.maxLength = maxLength
        self.unit = unit
        self.clipLength = clipLength
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        let correct = await correctness.score(batch)
        return zip(batch, correct).map { sample, c in
            if let e = c.error { return .failure("correctness: \(e)") }
            guard var n = unit.length(of: sample) else { return unit.missing() }
            if clipLength { n = min(n, maxLength) }
            let isCorrect = c.value >= 1 - 1e-9
            let (lo, hi) = isCorrect ? (values.minCorrect, values.maxCorrect) : (values.maxWrong, values.minWrong)
            let cosine = cos(Double(n) / Double(maxLength) * Double.pi)
            return Score(lo + 0.5 * (hi - lo) * (1 + cosine), components: ["length": Double(n)])
        }
    }
}
