import Foundation
import MathVerify
import Testing

/// Random and mutated inputs: no crash, every check within the step budget, and the same verdict twice.
@Suite("Fuzz")
struct FuzzTests {
    static let pieces = [
        "\\frac", "{", "}", "(", ")", "[", "]", "\\{", "\\}", "\\boxed{", "\\sqrt", "^", "_", "-", "+", "*", "/", "=",
        "<", "\\le", ",", ";", "!", "%", "\\%", "\\pm", "\\cdot", "\\left(", "\\right)", "\\begin{pmatrix}",
        "\\end{pmatrix}", "&", "\\\\", "\\text{", "cm", "x", "y", "e", "i", "\\pi", "\\infty", "\\cup", "0", "1", "7",
        "12", "3.5", ".", "e5", "\\overline{3}", "|", "\\sin", "\\log_", "$", "\\$", "^\\circ", " ", "\n", "−", "１",
        "<answer>", "</answer>", "The answer is ", "#### ", "**", "\\binom", "\\dfrac", "√", "π", "\u{0}", "\\",
    ]

    private func check(_ gold: String, _ prediction: String, _ options: MathVerify.Options) {
        let first = MathVerify.verify(gold: gold, prediction: prediction, options: options)
        let second = MathVerify.verify(gold: gold, prediction: prediction, options: options)
        #expect(first.steps <= options.maxSteps + 1, "\(first.steps) steps for \(prediction.prefix(200))")
        #expect(first == second, "not deterministic for \(prediction.prefix(200))")
    }

    @Test func randomTokenSoup() {
        var g = SeededGenerator(seed: 11)
        let options = MathVerify.Options()
        for _ in 0..<2_000 {
            let n = Int.random(in: 1...40, using: &g)
            let s = (0..<n).map { _ in FuzzTests.pieces.randomElement(using: &g)! }.joined()
            let t = (0..<Int.random(in: 1...10, using: &g)).map { _ in FuzzTests.pieces.randomElement(using: &g)! }
                .joined()
            check(t, s, options)
            check(s, "\\boxed{\(s)}", options)
        }
    }

    @Test func randomBytes() {
        var g = SeededGenerator(seed: 12)
        let options = MathVerify.Options()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0...200, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            let s = String(decoding: bytes, as: UTF8.self)
            check("5", s, options)
            check(s, s, options)
        }
    }

    @Test func mutatedMath500Answers() throws {
        let records = try Datasets.records("math500_test.jsonl.gz")
        var g = SeededGenerator(seed: 13)
        var options = MathVerify.Options()
        options.maxSteps = 20_000
        for r in records {
            let answer = r["answer"] as! String
            var chars = Array(answer)
            for _ in 0..<Int.random(in: 1...6, using: &g) {
                guard !chars.isEmpty else { break }
                let k = Int.random(in: 0..<chars.count, using: &g)
                switch Int.random(in: 0..<4, using: &g) {
                case 0: chars.remove(at: k)
                case 1: chars.insert(contentsOf: FuzzTests.pieces.randomElement(using: &g)!, at: k)
                case 2: chars.insert(contentsOf: chars[k...].prefix(8), at: k)
                default: chars.swapAt(k, Int.random(in: 0..<chars.count, using: &g))
                }
            }
            let mutated = String(chars)
            check(answer, "The final answer is $\\boxed{\(mutated)}$.", options)
            check(mutated, answer, options)
        }
    }
}
