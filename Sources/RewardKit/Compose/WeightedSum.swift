import MathVerify

/// Σ wᵢ·rᵢ over named terms; itself a `Reward`.
///
/// Components: each term's value under its name (unweighted), plus the term's own components as
/// `name/component`. If any term fails on a sample, the sum fails on it too, naming the term: a sum with a
/// missing part is not a score. The verdicts of terms that give one are combined: any `undecided` makes the sum's
/// verdict undecided, else any `different` makes it different, else equal.
public struct WeightedSum: Reward {
    public struct Term: Sendable {
        public var name: String
        public var weight: Double
        public var reward: any Reward
        public init(_ name: String, weight: Double = 1, _ reward: any Reward) {
            self.name = name
            self.weight = weight
            self.reward = reward
        }
    }

    public var terms: [Term]
    public init(_ terms: [Term]) { self.terms = terms }

    public func score(_ batch: [Sample]) async -> [Score] {
        // Terms score the whole batch concurrently with each other.
        let perTerm = await withTaskGroup(of: (Int, [Score]).self) { group in
            for (i, term) in terms.enumerated() {
                group.addTask { (i, await term.reward.score(batch)) }
            }
            var out = [[Score]](repeating: [], count: terms.count)
            for await (i, scores) in group { out[i] = scores }
            return out
        }
        return batch.indices.map { s in
            var total = 0.0
            var components: [String: Double] = [:]
            var reasons: [String] = []
            var errors: [String] = []
            var verdicts: [MathVerify.Verdict] = []
            for (t, term) in terms.enumerated() {
                let score = perTerm[t][s]
                if let e = score.error {
                    errors.append("\(term.name): \(e)")
                    continue
                }
                total += term.weight * score.value
                components[term.name] = score.value
                for (k, v) in score.components { components["\(term.name)/\(k)"] = v }
                if let r = score.reason { reasons.append("\(term.name): \(r)") }
                if let v = score.verdict { verdicts.append(v) }
            }
            if !errors.isEmpty { return .failure(errors.joined(separator: "; "), components: components) }
            let verdict =
                verdicts.contains(.undecided)
                ? .undecided
                : verdicts.contains(.different)
                    ? .different
                    : verdicts.first
            return Score(
                total, components: components, reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "),
                verdict: verdict)
        }
    }
}
