extension MathVerify {
    /// Where a final answer can be found in a completion.
    public enum Extractor: String, Sendable, Hashable, CaseIterable {
        /// The content of `\boxed{...}` or `\fbox{...}` (nested braces allowed), also `\boxed 5`.
        case boxed
        /// The content of `<answer>...</answer>`.
        case answerTag
        /// What follows "The answer is" / "The final answer is" / "answer:" up to the end of the sentence.
        case answerIs
        /// A GSM8K answer line `#### 42`.
        case gsm8k
        /// What follows "Final Answer:" on its line.
        case finalAnswer
        /// A self-correction such as "wait, it is 12" or "actually the answer should be 12".
        case correction
        /// The last markdown bold span `**...**` that contains a digit (a fallback: used only when no other marker
        /// matched).
        case bold
    }

    /// How `25%` compares with other answers.
    public enum PercentHandling: String, Sendable, Hashable, CaseIterable {
        /// `25%` means 0.25 only.
        case divideBy100
        /// `25%` means 25 only (the sign is dropped).
        case dropSign
        /// Equal if either reading matches (`25%` equals both `0.25` and `25`).
        case either
    }

    /// Which notations an answer is read in (math-verify's extraction targets `LatexExtractionConfig` and
    /// `ExprExtractionConfig`).
    public enum ExtractionMode: String, Sendable, Hashable, CaseIterable {
        /// LaTeX and plain expressions (the default).
        case both
        /// LaTeX only: an answer must sit in a marker or a math span (`$…$` on one line, `\(…\)`, `\[…\]`,
        /// `\boxed{}`); no last-number fallback in plain prose.
        case latex
        /// Plain expressions only: numbers and arithmetic in prose; `\boxed{}` and math spans are not looked for,
        /// and a number must stand on its own (`AZYUK2A` holds no answer).
        case expr
    }

    /// Every choice of the verifier. The defaults are the ones the tests and benchmarks use.
    public struct Options: Sendable, Hashable {
        /// Extractors tried on a completion, in two tiers: structural markers (`boxed`, `answerTag`, `gsm8k`) first,
        /// phrases (`finalAnswer`, `answerIs`, `correction`) only when no structural marker matched — except that a
        /// self-correction after the last structural marker wins. Within a tier, when `lastMarkerWins` is true the
        /// match ending last in the text wins (self-corrections take the last answer); otherwise the first extractor
        /// in this order that matches (its last match). `bold` is used only when nothing else matched.
        public var extractionOrder: [Extractor] = [
            .boxed, .answerTag, .finalAnswer, .answerIs, .gsm8k, .correction,
            .bold,
        ]
        /// See `extractionOrder`.
        public var lastMarkerWins: Bool = true
        /// When no marker matches and the whole completion is not a short answer, use its last number.
        public var lastNumberFallback: Bool = true
        /// A marker-free prediction up to this many characters is read whole (a model that answers "3/4").
        public var wholeTextMaxLength: Int = 80
        /// Relative tolerance for values that are not both exact rationals: equal when
        /// `|a - b| <= absoluteTolerance + relativeTolerance * max(|a|, |b|)`.
        public var relativeTolerance: Double = 1e-6
        /// Absolute part of the tolerance above (matters near zero).
        public var absoluteTolerance: Double = 1e-9
        /// A decimal with at least this many fractional digits equals a value that has no finite decimal expansion
        /// (`1/3`, `\sqrt{2}`) when it is that value rounded or truncated to its digits (`0.333333`, `0.666667`,
        /// `1.414214`). The default 6 follows math-verify's `float_rounding=6`. Nil: decimals compare like any number.
        public var roundedDecimalDigits: Int? = 6
        /// Random points at which expressions with variables are evaluated (deterministic given `seed`).
        public var symbolicPoints: Int = 6
        /// Seed of the points above.
        public var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        /// Drop units and words next to a number (`5 \text{ cm}^2`, `18 inches`, `\$18.90`) before comparing.
        public var dropUnits: Bool = true
        /// How a percent sign is read.
        public var percent: PercentHandling = .either
        /// `x = 3` equals `3` (an equation whose one side is a lone variable is read as its other side).
        public var equationAsValue: Bool = true
        /// `90^\circ` equals `90` (the degree sign is dropped).
        public var dropDegrees: Bool = true
        /// Compare bare lists (`1, -2`) and sets ignoring order; tuples and intervals are always ordered.
        public var unorderedLists: Bool = true
        /// Case-insensitive comparison of text answers (`\text{East}` equals `east`).
        public var caseInsensitiveText: Bool = true
        /// Which notations answers are read in (see `ExtractionMode`).
        public var extractionMode: ExtractionMode = .both
        /// A comma followed by one, two or more than three digits is a decimal comma in a plain number (`1000,99`,
        /// `0,111`, `2,74` read as 1000.99, 0.111, 2.74); a comma before exactly three digits stays a thousands
        /// separator (`1,000`), and `1, 5` (with a space) stays a list. Off: every such comma separates a list.
        public var decimalComma: Bool = false
        /// False: two answers that differ only in the names of their variables are equal (`f(x)` and `f(y)`),
        /// as math-verify's `strict=False`.
        public var strict: Bool = true
        /// A predicted inequality may equal a gold set (`x > 1` vs `(1, \infty)`), as math-verify's
        /// `allow_set_relation_comp`. A gold inequality always equals the same set predicted.
        public var allowSetRelationComparison: Bool = true
        /// Completions longer than this many UTF-8 bytes are read from their last `maxInputBytes` bytes only.
        public var maxInputBytes: Int = 100_000
        /// An extracted answer longer than this many UTF-8 bytes is not parsed (the check is `undecided`).
        public var maxAnswerBytes: Int = 2_000
        /// Work allowance of one check: lexing, parsing, evaluation and comparison steps together.
        public var maxSteps: Int = 100_000
        /// Deepest nesting of parentheses, braces and operators the parser and evaluator follow.
        public var maxDepth: Int = 100
        /// Largest exact number (numerator plus denominator bits); larger values are over budget.
        public var maxBits: Int = 8_192

        public init() {}
    }
}
