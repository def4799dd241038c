extension MathVerify {
    /// The three possible outcomes of a check.
    public enum Verdict: String, Sendable, Hashable, CaseIterable {
        /// Both answers were read and are mathematically equivalent.
        case equal
        /// Both answers were read and compared, and they differ.
        case different
        /// No verdict could be reached: an answer was not found or could not be parsed or evaluated, or the check
        /// ran over its budget. A grader may send these cases elsewhere (a judge model) instead of scoring them 0.
        case undecided
    }
}

/// The outcome of one check: the verdict and everything needed to explain it.
public struct Verification: Sendable, Hashable, CustomStringConvertible {
    /// Equal, different, or undecided (see `Verdict`).
    public var verdict: MathVerify.Verdict
    /// The answer text taken from the gold (nil when none was found).
    public var extractedGold: String?
    /// The answer text taken from the prediction (nil when none was found).
    public var extractedPrediction: String?
    /// The parsed gold answer in a plain notation (nil when it did not parse).
    public var parsedGold: String?
    /// The parsed predicted answer in a plain notation (nil when it did not parse).
    public var parsedPrediction: String?
    /// A short reason for the verdict ("equal exactly", "no answer found", "over budget: steps ...").
    public var reason: String
    /// Budget steps spent (at most `Options.maxSteps` plus the last tick).
    public var steps: Int

    /// True when the verdict is `equal`: the prediction's answer is mathematically equivalent to the gold answer.
    public var isEquivalent: Bool { verdict == .equal }

    public var description: String {
        "\(verdict.rawValue): \(reason) [gold \(extractedGold ?? "-") → \(parsedGold ?? "-"); "
            + "prediction \(extractedPrediction ?? "-") → \(parsedPrediction ?? "-")]"
    }
}
