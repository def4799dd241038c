import MathVerify

/// One row of the equivalence tables: `gold` and `prediction` as a grader sees them and the expected verdict.
struct EquivalenceCase: Sendable, CustomStringConvertible {
    let id: String
    let gold: String
    let prediction: String
    let equal: Bool

    init(_ id: String, _ gold: String, _ prediction: String, _ equal: Bool) {
        self.id = id
        self.gold = gold
        self.prediction = prediction
        self.equal = equal
    }

    var description: String { "\(id): \(gold) vs \(prediction) → \(equal ? "equal" : "not equal")" }
}
