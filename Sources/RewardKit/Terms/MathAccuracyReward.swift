import Foundation
import MathVerify

/// 1 if the completion's final answer is mathematically equivalent to the sample's reference, 0 if it differs
/// (`MathVerify.verify`; see its `Options` for every choice), and for an `undecided` check (no answer found in the
/// completion, an answer that cannot be parsed or evaluated, a check over budget) what `undecided` says: a fixed
/// value (default 0) or a fallback reward, such as a `command` term asking a judge model, that scores only those
/// samples (in one batch). Each score carries the verdict. A sample without a reference, or whose reference has no
/// readable answer, is an error rather than a 0.
public struct MathAccuracyReward: SampleReward {
    /// What an undecided check scores.
    public enum Undecided: Sendable {
        /// This value.
        case value(Double)
        /// What this reward gives the sample (its error, if it fails, is the sample's error).
        case fallback(any Reward)
    }

    public let options: MathVerify.Options
    public let undecided: Undecided

    public init(options: MathVerify.Options = .init(), undecided: Undecided = .value(0)) {
        self.options = options
        self.undecided = undecided
    }

    /// The score of one sample; an undecided check scores the `.value` policy's value (0 under a fallback, which
    /// only the batch method consults).
    public func score(_ sample: Sample) -> Score {
        // `unicodeScalars` rather than Foundation's `trimmingCharacters`, which bridges to NSString and was a sixth
        // of the service's CPU on GSM8K references (`reward bench serve`).
        guard let reference = sample.reference,
            reference.unicodeScalars.contains(where: { !$0.properties.isWhitespace })
        else {
            return .failure("no reference answer (answer, solution or ground_truth)")
        }
        let v = MathVerify.verify(gold: reference, prediction: sample.completionText, options: options)
        guard let gold = v.extractedGold else { return .failure("no answer found in the reference") }
        let found = v.extractedPrediction.map { "extracted \(Self.short($0))" } ?? "no answer extracted"
        let value: Double
        switch v.verdict {
        case .equal: value = 1
        case .different: value = 0
        case .undecided: if case .value(let x) = undecided { value = x } else { value = 0 }
        }
        return Score(value, reason: "\(found), expected \(Self.short(gold)): \(v.reason)", verdict: v.verdict)
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        var scores = await ParallelMap.map(batch) { score($0) }
        guard case .fallback(let judge) = undecided else { return scores }
        let open = scores.indices.filter { !scores[$0].isError && scores[$0].verdict == .undecided }
        guard !open.isEmpty else { return scores }
        let judged = await judge.score(open.map { batch[$0] })
        for (i, j) in zip(open, judged) {
            let why = scores[i].reason ?? "undecided"
            if let e = j.error {
                scores[i] = .failure("undecided (\(why)); fallback failed: \(e)", components: j.components)
            } else {
                let fallback = j.reason.map { "; fallback: \($0)" } ?? "; fallback scored it"
                scores[i] = Score(j.value, components: j.components, reason: why + fallback, verdict: .undecided)
            }
        }
        return scores
    }

    private static func short(_ s: String) -> String { s.count <= 60 ? s : String(s.prefix(57)) + "..." }
}

extension TermRegistry {
    /// Registers `math`: `MathAccuracyReward` with every `MathVerify.Options` field as a snake_case parameter.
    mutating func registerMathTerm() {
        register(
            "math",
            summary: "1 if the final answer is equivalent to the reference (MathVerify), 0 if "
                + "different; an undecided check scores `undecided` (a number, default 0, or a recipe node)"
        ) { p in
            var o = MathVerify.Options()
            let extractorNames = MathVerify.Extractor.allCases.map(\.rawValue)
            let order = try p.strings("extraction_order", default: o.extractionOrder.map(\.rawValue))
            o.extractionOrder = try order.map { name in
                guard let e = MathVerify.Extractor(rawValue: name) else {
                    throw p.bad(
                        "extraction_order", .string(name), "extractors among \(extractorNames.joined(separator: ", "))")
                }
                return e
            }
            o.lastMarkerWins = try p.bool("last_marker_wins", default: o.lastMarkerWins)
            o.lastNumberFallback = try p.bool("last_number_fallback", default: o.lastNumberFallback)
            o.wholeTextMaxLength = try p.int("whole_text_max_length", default: o.wholeTextMaxLength, in: 0...1_000_000)
            o.relativeTolerance = try p.double("relative_tolerance", default: o.relativeTolerance, in: 0...1)
            o.absoluteTolerance = try p.double("absolute_tolerance", default: o.absoluteTolerance, in: 0...1)
            let digits = try p.int("rounded_decimal_digits", default: o.roundedDecimalDigits ?? 0, in: 0...15)
            o.roundedDecimalDigits = digits == 0 ? nil : digits  // 0: off
            o.symbolicPoints = try p.int("symbolic_points", default: o.symbolicPoints, in: 2...100)
            o.seed = UInt64(UInt(bitPattern: try p.int("seed", default: Int(bitPattern: UInt(o.seed)))))
            o.dropUnits = try p.bool("drop_units", default: o.dropUnits)
            o.percent = MathVerify.PercentHandling(
                rawValue: try p.string(
                    "percent", default: o.percent.rawValue, oneOf: MathVerify.PercentHandling.allCases.map(\.rawValue)))!
            o.equationAsValue = try p.bool("equation_as_value", default: o.equationAsValue)
            o.dropDegrees = try p.bool("drop_degrees", default: o.dropDegrees)
            o.unorderedLists = try p.bool("unordered_lists", default: o.unorderedLists)
            o.caseInsensitiveText = try p.bool("case_insensitive_text", default: o.caseInsensitiveText)
            o.maxInputBytes = try p.int("max_input_bytes", default: o.maxInputBytes, in: 1...100_000_000)
            o.maxAnswerBytes = try p.int("max_answer_bytes", default: o.maxAnswerBytes, in: 1...1_000_000)
            o.maxSteps = try p.int("max_steps", default: o.maxSteps, in: 1...100_000_000)
            o.maxDepth = try p.int("max_depth", default: o.maxDepth, in: 1...1_000)
            o.maxBits = try p.int("max_bits", default: o.maxBits, in: 64...1_000_000)
            o.extractionMode = MathVerify.ExtractionMode(
                rawValue: try p.string(
                    "extraction_mode", default: o.extractionMode.rawValue,
                    oneOf: MathVerify.ExtractionMode.allCases.map(\.rawValue)))!
            o.decimalComma = try p.bool("decimal_comma", default: o.decimalComma)
            o.strict = try p.bool("strict", default: o.strict)
            o.allowSetRelationComparison = try p.bool(
                "allow_set_relation_comparison",
                default: o.allowSetRelationComparison)
            return MathAccuracyReward(options: o, undecided: try Self.undecided(p))
        }
    }
}

extension TermRegistry {
    /// The math term's `undecided` parameter: a number, or a recipe node (`{"term": "command", …}`) whose reward
    /// scores the undecided samples.
    fileprivate static func undecided(_ p: TermParameters) throws -> MathAccuracyReward.Undecided {
        guard let v = p.raw("undecided") else { return .value(0) }
        if let x = v.doubleValue {
            guard x.isFinite else { throw p.bad("undecided", v, "a finite number or a recipe node") }
            return .value(x)
        }
        guard v.objectValue != nil else {
            throw p.bad("undecided", v, "a number or a recipe node such as {\"term\": …}")
        }
        return .fallback(try RecipeBuilder(registry: p.registry).build(v, path: "\(p.path).undecided"))
    }
}
