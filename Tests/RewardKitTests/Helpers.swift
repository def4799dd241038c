import RewardKit

func sample(_ completion: String, reference: String? = nil, prompt: String = "p", tokens: [Int]? = nil) -> Sample {
    Sample(prompt: prompt, completion: .text(completion), reference: reference, completionTokenIDs: tokens)
}

/// A reward with a fixed value per completion text (or an error for "ERR"), for composition tests.
struct TableReward: SampleReward {
    var table: [String: Double]
    func score(_ s: Sample) -> Score {
        if s.completionText == "ERR" { return .failure("boom") }
        return Score(table[s.completionText] ?? 0)
    }
}

/// "correct" for completions containing the reference, for length terms.
struct ContainsReference: SampleReward {
    func score(_ s: Sample) -> Score {
        guard let r = s.reference else { return .failure("no reference") }
        return Score(s.completionText.contains(r) ? 1 : 0)
    }
}

extension TermRegistry {
    /// The standard terms plus `contains`, a stand-in correctness term that needs no math verifier.
    static var testing: TermRegistry {
        var r = TermRegistry.standard
        r.register("contains", summary: "test") { _ in ContainsReference() }
        r.register("table", summary: "test") { p in
            var t: [String: Double] = [:]
            for (k, v) in p.raw("values")?.objectValue?.entries ?? [] { t[k] = v.doubleValue ?? 0 }
            return TableReward(table: t)
        }
        return r
    }
}

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }
