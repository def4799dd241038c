import MathVerify
import Testing

/// Inputs built to exhaust a grader: each must end "not equal" (or equal when it is honestly equal) within the step
/// budget, without crashing or overflowing the stack.
struct BudgetCase: Sendable, CustomStringConvertible {
    let id: String
    let gold: String
    let prediction: String
    let equal: Bool
    /// A word the reason must contain ("" for any reason).
    let reason: String
    var description: String { id }
}

let budgetCases: [BudgetCase] = [
    .init(
        id: "tower-identical", gold: "10^{10^{10}}", prediction: "\\boxed{10^{10^{10}}}", equal: true,
        reason: "identical"),
    .init(
        id: "tower-plus-one", gold: "10^{10^{10}}", prediction: "\\boxed{10^{10^{10}}+1}", equal: false,
        reason: "budget"),
    .init(id: "huge-factorial", gold: "5", prediction: "\\boxed{(10^9)!}", equal: false, reason: "factorial"),
    .init(
        id: "factorial-of-tower", gold: "5", prediction: "\\boxed{10^{10^{10^{10}}}!}", equal: false, reason: "budget"),
    .init(
        id: "nested-braces-5000", gold: "5",
        prediction: "\\boxed{" + String(repeating: "{", count: 5000) + "5"
            + String(repeating: "}", count: 5000) + "}", equal: false, reason: "budget"),
    .init(
        id: "nested-parens-5000-in-box", gold: "5",
        prediction: "\\boxed{" + String(repeating: "(", count: 5000) + "5"
            + String(repeating: ")", count: 5000) + "}", equal: false, reason: ""),
    .init(
        id: "nested-fracs", gold: "5",
        prediction: "\\boxed{" + String(repeating: "\\frac{", count: 300) + "5"
            + String(repeating: "}{1}", count: 300) + "}", equal: false, reason: "budget"),
    .init(
        id: "long-completion-50k", gold: "5",
        prediction: String(repeating: "Let us think. ", count: 3600)
            + "\\boxed{5}", equal: true, reason: ""),
    .init(
        id: "unclosed-boxes", gold: "5", prediction: String(repeating: "\\boxed{", count: 7000), equal: false,
        reason: ""),
    .init(
        id: "unary-minus-chain", gold: "5", prediction: "\\boxed{" + String(repeating: "-", count: 1000) + "5}",
        equal: false, reason: "budget"),
    .init(
        id: "factorial-chain", gold: "5", prediction: "\\boxed{5" + String(repeating: "!", count: 1000) + "}",
        equal: false, reason: "budget"),
    .init(id: "power-tower", gold: "2", prediction: "\\boxed{2^{2^{2^{2^{2^{2}}}}}}", equal: false, reason: "budget"),
    .init(
        id: "huge-base-power", gold: "5", prediction: "\\boxed{999999999999^{999999999}}", equal: false,
        reason: "budget"),
    .init(id: "huge-exponent-literal", gold: "5", prediction: "\\boxed{1.5e999999}", equal: false, reason: "budget"),
    .init(
        id: "huge-binomial", gold: "5", prediction: "\\boxed{\\binom{1000000000}{500000000}}", equal: false,
        reason: "budget"),
    .init(
        id: "many-pm", gold: "5", prediction: "\\boxed{" + String(repeating: "\\pm 1", count: 100) + "}",
        equal: false, reason: "budget"),
    .init(
        id: "long-repeating", gold: "1/3",
        prediction: "\\boxed{0.\\overline{" + String(repeating: "3", count: 400)
            + "}}", equal: false, reason: "budget"),
    .init(id: "big-symbolic-power", gold: "x^2", prediction: "\\boxed{x^{1000000}}", equal: false, reason: ""),
    .init(
        id: "long-sum", gold: "300",
        prediction: "\\boxed{" + Array(repeating: "1", count: 300).joined(separator: "+")
            + "}", equal: true, reason: ""),
    .init(
        id: "long-answer", gold: "5",
        prediction: "\\boxed{" + Array(repeating: "x", count: 3000).joined(separator: "+")
            + "}", equal: false, reason: "budget"),
    .init(id: "tiny-negative-power", gold: "0", prediction: "\\boxed{2^{-10^{10}}}", equal: false, reason: "budget"),
    .init(id: "division-by-zero", gold: "5", prediction: "\\boxed{5/0}", equal: false, reason: ""),
    .init(id: "zero-over-zero-gold", gold: "0/0", prediction: "\\boxed{1}", equal: false, reason: ""),
    .init(
        id: "matrix-5000-wide", gold: "5",
        prediction: "\\boxed{\\begin{pmatrix}" + String(repeating: "1&", count: 5000)
            + "1\\end{pmatrix}}", equal: false, reason: ""),
    .init(
        id: "many-answer-tags", gold: "5", prediction: String(repeating: "<answer>", count: 6000), equal: false,
        reason: ""),
]

@Suite("Budget")
struct BudgetTests {
    @Test(arguments: budgetCases)
    func boundedVerdict(_ c: BudgetCase) {
        let options = MathVerify.Options()
        let v = MathVerify.verify(gold: c.gold, prediction: c.prediction, options: options)
        #expect(v.isEquivalent == c.equal, "\(c.id): \(v.reason)")
        #expect(v.steps <= options.maxSteps + 1, "\(c.id): \(v.steps) steps")
        if !c.reason.isEmpty { #expect(v.reason.contains(c.reason), "\(c.id): reason \(v.reason)") }
    }

    @Test func smallerBudgetStopsEarlier() {
        var options = MathVerify.Options()
        options.maxSteps = 50
        let v = MathVerify.verify(
            gold: "300",
            prediction: "\\boxed{"
                + Array(repeating: "1", count: 300)
                .joined(separator: "+") + "}", options: options)
        #expect(!v.isEquivalent)
        #expect(v.reason.contains("steps"), "\(v.reason)")
        #expect(v.steps <= 51)
    }
}
