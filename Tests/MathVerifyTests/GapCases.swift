import MathVerify

/// A check with its expected three-valued verdict, under options changed from the defaults by `configure`.
struct VerdictCase: Sendable, CustomStringConvertible {
    let id: String
    let gold: String
    let prediction: String
    let verdict: MathVerify.Verdict
    let configure: @Sendable (inout MathVerify.Options) -> Void

    init(
        _ id: String, _ gold: String, _ prediction: String, _ verdict: MathVerify.Verdict,
        _ configure: @escaping @Sendable (inout MathVerify.Options) -> Void = { _ in }
    ) {
        self.id = id
        self.gold = gold
        self.prediction = prediction
        self.verdict = verdict
        self.configure = configure
    }

    var options: MathVerify.Options {
        var o = MathVerify.Options()
        configure(&o)
        return o
    }

    var description: String { "\(id): \(gold) vs \(prediction) → \(verdict.rawValue)" }
}

/// Cases for the gaps of issue 13 (A–M), written for this table: none is taken from math-verify's suite.
let gapCases: [VerdictCase] = [
    // A: inline math with spaces inside `$ … $`; a currency `$5 and $` is still not a formula.
    .init("A-spaced-frac", "10/9", "So the value is $ \\frac{10}{9} $.", .equal),
    .init("A-spaced-equation", "7", "We get $ x = 7 $ in the end", .equal),
    .init("A-currency-then-formula", "8", "The cost is $5 and $3 more, giving $ 8 $ in total.", .equal),
    .init("A-spaced-wrong", "9", "It is $ \\frac{10}{9} $", .different),
    // B: an answer split over several boxes.
    .init("B-or-with-names", "3, -4", "So x = \\boxed{3} or x = \\boxed{-4}.", .equal),
    .init("B-text-and", "(1,2),(3,4)", "\\boxed{(1,2)} \\text{ and } \\boxed{(3,4)}", .equal),
    .init("B-inline-commas", "2, 7", "The roots are $\\boxed{2}$, $\\boxed{7}$", .equal),
    .init("B-sentence-between", "5", "First \\boxed{3}. Then the final result is \\boxed{5}", .equal),
    .init("B-correction-between", "13", "\\boxed{12} is wrong, actually \\boxed{13}", .equal),
    .init("B-missing-one", "2, 7", "\\boxed{2} \\quad \\text{and} \\quad \\boxed{8}", .different),
    .init("B-labelled-step-not-joined", "15", "$$\\boxed{12}$$ $$\\text{Total} = \\boxed{15}$$", .equal),
    // C: labelled answers whose left side is not one variable.
    .init("C-tuple-label", "(3,2)", "\\boxed{(a,b)=(3,2)}", .equal),
    .init("C-segment-label", "4", "\\boxed{BC = 4}", .equal),
    .init("C-fraction-label", "\\frac{1}{2}", "\\boxed{\\frac{AE}{EC} = \\frac{1}{2}}", .equal),
    .init("C-abs-label", "6", "\\boxed{|PQ| = 6}", .equal),
    .init("C-number-in-left-side", "4", "\\boxed{2x = 4}", .different),
    .init("C-label-wrong-value", "(3,2)", "\\boxed{(a,b)=(2,3)}", .different),
    // D: ratios with colons: proportional ratios are equal, a ratio is not a fraction.
    .init("D-proportional", "2:3", "\\boxed{4:6}", .equal),
    .init("D-labelled-ratio", "2:5", "\\boxed{AB:CD = 2:5}", .equal),
    .init("D-three-parts", "1:2:3", "\\boxed{2:4:6}", .equal),
    .init("D-reversed", "3:4", "\\boxed{4:3}", .different),
    .init("D-not-a-fraction", "\\frac{2}{3}", "\\boxed{2:3}", .different),
    // E: chains and approximations.
    .init("E-worked-chain", "x = 9", "\\boxed{x = 2 + 7 = 9}", .equal),
    .init("E-worked-chain-wrong", "x = 9", "\\boxed{x = 2 + 7 = 10}", .different),
    .init("E-exact-then-approx", "\\sqrt{2}", "\\boxed{x = \\sqrt{2} \\approx 1.414}", .equal),
    .init("E-constant-approx", "\\pi", "\\boxed{\\pi \\approx 3.14}", .equal),
    .init("E-variable-approx", "5", "\\boxed{a \\approx 5}", .equal),
    .init("E-unicode-approx", "\\frac{1}{3}", "\\boxed{\\frac{1}{3} ≈ 0.33}", .equal),
    // F: inequalities against the interval they describe.
    .init("F-function-of-t", "(2, 5]", "\\boxed{2 < g(t) \\le 5}", .equal),
    .init("F-abs-at-most", "[-3, 3]", "\\boxed{|x| \\le 3}", .equal),
    .init("F-abs-above", "(-\\infty, -2) \\cup (2, \\infty)", "\\boxed{|x| > 2}", .equal),
    .init("F-abs-band", "[-2, -1] \\cup [1, 2]", "\\boxed{1 \\le |y| \\le 2}", .equal),
    .init("F-abs-band-not-interval", "[1, 2]", "\\boxed{1 \\le |x| \\le 2}", .different),
    .init("F-open-closed-differ", "(2, 5)", "\\boxed{2 < h(s) \\le 5}", .different),
    // G: doubled backslashes and control characters from one escaping too many or too few.
    .init("G-doubled-frac", "\\frac{1}{2}", "\\\\boxed{\\\\frac{1}{2}}", .equal),
    .init("G-doubled-le", "[1, 3]", "\\\\boxed{1 \\\\le x \\\\le 3}", .equal),
    .init("G-doubled-inline", "\\sqrt{3}", "The answer is $\\\\sqrt{3}$", .equal),
    .init("G-tab-text", "\u{09}ext{east}", "\\boxed{\\text{East}}", .equal),
    .init("G-formfeed-frac", "\\frac{1}{3}", "\\boxed{\u{0C}rac{1}{3}}", .equal),
    .init(
        "G-row-break-kept", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}",
        "\\boxed{\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}}", .equal),
    .init("G-doubled-wrong", "\\frac{1}{2}", "\\\\boxed{\\\\frac{1}{3}}", .different),
    // H: repeated elements count once.
    .init("H-set-repeat", "\\{2, 3\\}", "\\boxed{\\{2, 2, 3\\}}", .equal),
    .init("H-list-repeat", "1, 2", "\\boxed{1, 1, 2}", .equal),
    .init("H-extra-element", "\\{1, 2\\}", "\\boxed{\\{1, 2, 3, 3\\}}", .different),
    .init("H-braces-keep-order", "(2, 5)", "${5, 2}$", .different),
    .init("H-braces-in-order", "(2, 5)", "${2, 5}$", .equal),
    // I: matrix arithmetic.
    .init(
        "I-scalar-multiple", "\\begin{pmatrix} 4 & 6 \\\\ 8 & 10 \\end{pmatrix}",
        "$2\\begin{pmatrix} 2 & 3 \\\\ 4 & 5 \\end{pmatrix}$", .equal),
    .init(
        "I-product-vector", "\\begin{pmatrix} 2 \\\\ 4 \\end{pmatrix}",
        "$\\begin{pmatrix} 1 & 0 \\\\ 0 & 2 \\end{pmatrix}\\begin{pmatrix} 2 \\\\ 2 \\end{pmatrix}$", .equal),
    .init(
        "I-difference-zero", "\\begin{pmatrix} 0 & 0 \\\\ 0 & 0 \\end{pmatrix}",
        "$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} - \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$",
        .equal),
    .init(
        "I-product-order", "\\begin{pmatrix} 2 & 1 \\\\ 1 & 1 \\end{pmatrix}",
        "$\\begin{pmatrix} 1 & 0 \\\\ 1 & 1 \\end{pmatrix}\\begin{pmatrix} 1 & 1 \\\\ 0 & 1 \\end{pmatrix}$",
        .different),
    .init(
        "I-sum", "\\begin{pmatrix} 4 & 1 \\\\ 0 & 7 \\end{pmatrix}",
        "$\\begin{pmatrix} 1 & 1 \\\\ 2 & 3 \\end{pmatrix} + \\begin{pmatrix} 3 & 0 \\\\ -2 & 4 \\end{pmatrix}$",
        .equal),
    .init(
        "I-sum-wrong-entry", "\\begin{pmatrix} 4 & 1 \\\\ 0 & 7 \\end{pmatrix}",
        "$\\begin{pmatrix} 1 & 1 \\\\ 2 & 3 \\end{pmatrix} + \\begin{pmatrix} 3 & 0 \\\\ 2 & 4 \\end{pmatrix}$",
        .different),
    .init(
        "I-identity-product", "\\begin{bmatrix} 2 & -1 \\\\ 5 & 3 \\end{bmatrix}",
        "$\\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}\\begin{bmatrix} 2 & -1 \\\\ 5 & 3 \\end{bmatrix}$",
        .equal),
    .init(
        "I-shapes-do-not-fit", "\\begin{pmatrix} 5 \\end{pmatrix}",
        "$\\begin{pmatrix} 1 & 2 \\end{pmatrix}\\begin{pmatrix} 1 & 2 \\end{pmatrix}$", .undecided),
    // J: a decimal comma, when asked for.
    .init("J-comma-decimal", "3.5", "3,5", .equal, { $0.decimalComma = true }),
    .init("J-comma-off-is-list", "3.5", "3,5", .different),
    .init("J-quarter", "\\frac{1}{4}", "0,25", .equal, { $0.decimalComma = true }),
    .init("J-negative", "-\\frac{3}{4}", "-0,75", .equal, { $0.decimalComma = true }),
    .init("J-thousands-stay", "1234", "1,234", .equal, { $0.decimalComma = true }),
    .init("J-list-stays", "2.5", "2,5,3", .different, { $0.decimalComma = true }),
    // K: decimals against exact values at any length; a precision option.
    .init("K-seventeen-digits", "\\frac{1}{7}", "0.14285714285714285", .equal),
    .init("K-seventeen-digits-float-noise", "\\frac{1}{7}", "0.14285714285714299", .equal),
    .init("K-wrong-within-fifteen", "\\frac{1}{7}", "0.14285714285799999", .different),
    .init("K-long-root", "\\sqrt{2}", "1.41421356237309505", .equal),
    .init("K-long-root-wrong-fifth", "\\sqrt{2}", "1.41431356237309505", .different),
    .init("K-four-digits-at-four", "\\frac{1}{3}", "0.3333", .equal, { $0.roundedDecimalDigits = 4 }),
    .init("K-four-digits-at-six", "\\frac{1}{3}", "0.3333", .different),
    // L: a gold that is a worked solution without a box.
    .init("L-final-answer-sentence", "We compute $3 + 4 = 7$. The final answer is $7$.", "\\boxed{7}", .equal),
    .init("L-answer-phrase", "Adding, we get $x = 12$. So the answer is $12$ apples.", "12", .equal),
    .init("L-prose-number", "Each of the 3 boxes holds 5, so in total there are 15 of them.", "\\boxed{15}", .equal),
    .init("L-short-answer-not-prose", "3 apples and 4 pears", "\\boxed{3, 4}", .equal),
    .init("L-wrong", "We compute $3 + 4 = 7$. The final answer is $7$.", "\\boxed{8}", .different),
    // M: a later "Final Answer" overrides intermediate boxes.
    .init("M-final-after-box", "42", "So far \\boxed{40}. After checking the carry, Final Answer: 42", .equal),
    .init("M-box-superseded", "40", "So far \\boxed{40}. After checking the carry, Final Answer: 42", .different),
    .init("M-box-inside-final", "6", "The final answer is $\\boxed{6}$.", .equal),
    .init(
        "M-final-repeats-box", "9", "\\boxed{9}\n\nFinal Answer: The final answer is 9. I hope it is correct.",
        .equal),
]

/// The three verdicts, and the options that map math-verify's settings.
let verdictCases: [VerdictCase] = [
    .init("undecided-empty", "5", "", .undecided),
    .init("undecided-no-answer", "5", "I do not know how to solve this.", .undecided),
    .init("undecided-unparseable", "5", "\\boxed{(1, 2}", .undecided),
    .init("undecided-over-budget", "5", "\\boxed{" + String(repeating: "-", count: 1000) + "5}", .undecided),
    .init("undecided-no-gold", "", "\\boxed{5}", .undecided),
    .init("different-number", "5", "\\boxed{6}", .different),
    .init("different-text", "\\text{east}", "\\boxed{\\text{west}}", .different),
    .init("equal-number", "5", "\\boxed{5.0}", .equal),
    .init("latex-mode-broken-inline", "9", "Answer $ \n 9 \n $", .undecided, { $0.extractionMode = .latex }),
    .init("both-mode-broken-inline", "9", "Answer $ \n 9 \n $", .equal),
    .init("latex-mode-no-bare-number", "9", "so it is 9", .undecided, { $0.extractionMode = .latex }),
    .init("latex-mode-display", "9", "Answer $$ \n 9 \n $$", .equal, { $0.extractionMode = .latex }),
    .init("expr-mode-glued-letters", "2", "XQ2B", .different, { $0.extractionMode = .expr }),
    .init("non-strict-rename", "g(t)", "g(s)", .equal, { $0.strict = false }),
    .init("strict-rename", "g(t)", "g(s)", .different),
    .init("non-strict-two-variables", "x^2 + y", "a^2 + b", .equal, { $0.strict = false }),
    .init("non-strict-wrong", "x^2 + y", "a^3 + b", .different, { $0.strict = false }),
    .init("set-relation-off", "(1, \\infty)", "x > 1", .different, { $0.allowSetRelationComparison = false }),
    .init("set-relation-on", "(1, \\infty)", "x > 1", .equal),
    .init("gold-relation-always", "x > 1", "(1, \\infty)", .equal, { $0.allowSetRelationComparison = false }),
]
