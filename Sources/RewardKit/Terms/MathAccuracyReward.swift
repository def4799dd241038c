import Foundation
import MathVerify

/// 1 if the completion's final answer is mathematically equivalent to the sample's reference, else 0
/// (`MathVerify.verify`; see its `Options` for every choice). A sample without a reference, or whose reference has
/// no readable answer, is an error rather than a 0.
public struct MathAccuracyReward: SampleReward {
    public let options: MathVerify.Options

    public init(options: MathVerify.Options = .init()) {
        self.options = options
    }

    public func score(_ sample: Sample) -> Score {
        // `unicodeScalars` rather than Foundation's `trimmingCharacters`, which bridges to NSString and was a sixth
        // of the service's CPU on GSM8K references (`reward bench serve`).
        guard let reference = sample.reference, reference.unicodeScalars.contains(where: { !$0.properties.isWhitespace })
        else {
            return .failure("no reference answer (answer, solution or ground_truth)")
        }
        let v = MathVerify.verify(gold: reference, prediction: sample.completionText, options: options)
        guard let gold = v.extractedGold else { return .failure("no answer found in the reference") }
        let found = v.extractedPrediction.map { "extracted \(Self.short($0))" } ?? "no answer extracted"
        return Score(v.isEquivalent ? 1 : 0, reason: "\(found), expected \(Self.short(gold)): \(v.reason)")
    }

    private static func short(_ s: String) -> String { s.count <= 60 ? s : String(s.prefix(57)) + "..." }
}

extension TermRegistry {
    /// Registers `math`: `MathAccuracyReward` with every `MathVerify.Options` field as a snake_case parameter.
    mutating func registerMathTerm() {
        register("math", summary: "1 if the final answer is equivalent to the reference (MathVerify), else 0") { p in
            var o = MathVerify.Options()
            let extractorNames = MathVerify.Extractor.allCases.map(\.rawValue)
            let order = try p.strings("extraction_order", default: o.extractionOrder.map(\.rawValue))
            o.extractionOrder = try order.map { name in
                guard let e = MathVerify.Extractor(rawValue: name) else {
                    throw p.bad("extraction_order", .string(name), "extractors among \(extractorNames.joined(separator: ", "))")
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
            o.percent = MathVerify.PercentHandling(rawValue: try p.string(
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
            return MathAccuracyReward(options: o)
        }
    }
}
