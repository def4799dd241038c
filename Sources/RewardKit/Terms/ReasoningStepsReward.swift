import Foundation

/// min(1, steps / `minSteps`), where steps counts step markers.
///
/// open-r1's `reasoning_steps_reward` (src/open_r1/rewards.py): `len(re.findall(pattern, text))` with
/// `pattern = r"(Step \d+:|^\d+\.|\n-|\n\*|First,|Second,|Next,|Finally,)"` (no MULTILINE, so `^\d+\.` matches
/// only at the very start) and the "magic number" 3, here the `min_steps` parameter.
public struct ReasoningStepsReward: SampleReward {
    public let minSteps: Int
    private let regex = try! NSRegularExpression(pattern: #"(Step \d+:|^\d+\.|\n-|\n\*|First,|Second,|Next,|Finally,)"#)

    /// - Precondition: `minSteps >= 1`.
    public init(minSteps: Int = 3) {
        precondition(minSteps >= 1, "minSteps must be at least 1, got \(minSteps)")
        self.minSteps = minSteps
    }

    public func score(_ sample: Sample) -> Score {
        let text = sample.completionText
        let count = regex.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
        return Score(min(1, Double(count) / Double(minSteps)), components: ["steps": Double(count)])
    }
}
