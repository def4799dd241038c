import MathVerify

/// What a reward says about one sample.
///
/// `error` marks a sample that could not be scored (no reference answer, a crashed plugin, a sandbox failure).
/// It is not a low score: consumers must leave errored samples out rather than count them as zero.
public struct Score: Sendable, Hashable {
    /// The reward. Meaningless (and 0) when `error` is set.
    public var value: Double
    /// Named parts of the reward (for a composed recipe, each term's value), for logging.
    public var components: [String: Double]
    /// A short human-readable diagnostic ("extracted 12, expected 13").
    public var reason: String?
    /// Why the sample could not be scored; `nil` when it was.
    public var error: String?
    /// The checker's three-valued verdict (`equal`, `different`, `undecided`) for rewards that decide equivalence
    /// (the `math` term); `nil` for others. Composed rewards pass it through (`WeightedSum` combines several).
    public var verdict: MathVerify.Verdict?

    public init(
        _ value: Double, components: [String: Double] = [:], reason: String? = nil,
        verdict: MathVerify.Verdict? = nil
    ) {
        self.value = value
        self.components = components
        self.reason = reason
        self.error = nil
        self.verdict = verdict
    }

    /// A score for a sample that could not be scored.
    public static func failure(_ error: String, components: [String: Double] = [:]) -> Score {
        var s = Score(0, components: components)
        s.error = error
        return s
    }

    public var isError: Bool { error != nil }
}
