/// The outcome of one check: the verdict and everything needed to explain it.
public struct Verification: Sendable, Hashable, CustomStringConvertible {
    /// True when the prediction's answer is mathematically equivalent to the gold answer.
    public var isEquivalent: Bool
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

    public var description: String {
        "\(isEquivalent ? "equal" : "not equal"): \(reason) [gold \(extractedGold ?? "-") → \(parsedGold ?? "-"); "
            + "prediction \(extractedPrediction ?? "-") → \(parsedPrediction ?? "-")]"
    }
}
