import MathVerify
import Testing

@Suite("Gaps A–M and the three-valued verdict")
struct GapTests {
    @Test("each gap case gets its verdict", arguments: gapCases)
    func gap(_ c: VerdictCase) {
        let v = MathVerify.verify(gold: c.gold, prediction: c.prediction, options: c.options)
        #expect(v.verdict == c.verdict, "\(c.id): \(v)")
        #expect(v.isEquivalent == (c.verdict == .equal))
    }

    @Test("each verdict case gets its verdict", arguments: verdictCases)
    func verdict(_ c: VerdictCase) {
        let v = MathVerify.verify(gold: c.gold, prediction: c.prediction, options: c.options)
        #expect(v.verdict == c.verdict, "\(c.id): \(v)")
    }

    @Test func everyGapHasCasesOfEachKind() {
        for gap in "ABCDEFGHIJKLM" {
            let mine = gapCases.filter { $0.id.hasPrefix("\(gap)-") }
            #expect(mine.count >= 3, "gap \(gap) has \(mine.count) cases")
            #expect(mine.contains { $0.verdict != .equal }, "gap \(gap) has no case that must not be equal")
        }
    }

    @Test func undecidedSaysWhy() {
        let none = MathVerify.verify(gold: "5", prediction: "no idea")
        #expect(none.verdict == .undecided && none.reason.contains("no answer"), "\(none)")
        let budget = MathVerify.verify(gold: "5", prediction: "\\boxed{" + String(repeating: "-", count: 1000) + "5}")
        #expect(budget.verdict == .undecided && budget.reason.contains("budget"), "\(budget)")
        let parse = MathVerify.verify(gold: "5", prediction: "\\boxed{(1, 2}")
        #expect(parse.verdict == .undecided && parse.reason.contains("parse"), "\(parse)")
    }
}
