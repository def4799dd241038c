import MathVerify
import Testing

/// Every table row, in one list.
let allEquivalenceCases =
    numberCases + expressionCases + structureCases + unitCases + extractionCases + hardCases + mathVerifySuiteCases

@Suite("Equivalence tables")
struct EquivalenceTableTests {
    @Test("each case gets the expected verdict", arguments: allEquivalenceCases)
    func verdict(_ c: EquivalenceCase) {
        let v = MathVerify.verify(gold: c.gold, prediction: c.prediction)
        #expect(v.isEquivalent == c.equal, "\(c.id): \(v)")
    }

    @Test(
        "the verdict does not depend on which side is gold for bare answers",
        arguments: allEquivalenceCases.filter {
            !$0.id.hasPrefix("equation") && !$0.gold.contains("\\boxed")
                && !$0.prediction.contains(" ")
        })
    func symmetric(_ c: EquivalenceCase) {
        let v = MathVerify.verify(gold: c.prediction, prediction: c.gold)
        #expect(v.isEquivalent == c.equal, "\(c.id) reversed: \(v)")
    }

    @Test func tablesAreLargeWithUniqueIDs() {
        let ids = allEquivalenceCases.map(\.id)
        #expect(ids.count >= 300, "only \(ids.count) cases")
        #expect(
            Set(ids).count == ids.count,
            "duplicate ids: \(Dictionary(grouping: ids, by: { $0 }).filter { $1.count > 1 }.keys)")
    }
}
