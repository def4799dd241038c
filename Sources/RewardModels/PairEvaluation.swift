import Foundation
import RewardKit

/// How well scores rank preference pairs: accuracy, mean margin and a calibration table.
///
/// Accuracy is the share of pairs with r_chosen > r_rejected (a tie counts as wrong, as TRL's `accuracy` metric
/// `(rewards_chosen > rewards_rejected).mean()` does). The Bradley–Terry model predicts P(chosen ≻ rejected) =
/// σ(r_c − r_r); the calibration table bins pairs by the confidence max(p, 1 − p) of that prediction and compares
/// each bin's mean confidence with its accuracy (the pairs where p > 1/2): a calibrated model has the two equal.
public struct PairEvaluation: Sendable, Equatable {
    /// One confidence bin [lower, upper).
    public struct Bin: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        /// Mean confidence max(p, 1 − p) of the pairs in the bin (0 when empty).
        public var confidence: Double
        /// Share of the bin's pairs ranked right (0 when empty).
        public var accuracy: Double
    }

    public var pairs: Int
    public var accuracy: Double
    /// Mean of r_c − r_r.
    public var marginMean: Double
    public var chosenMean: Double
    public var rejectedMean: Double
    /// Expected calibration error: Σ_bins (count / pairs) · |accuracy − confidence|.
    public var calibrationError: Double
    public var bins: [Bin]

    /// Evaluates paired scores; the bins split confidence [0.5, 1] into `binCount` equal parts.
    public init(chosen: [Double], rejected: [Double], binCount: Int = 5) {
        precondition(chosen.count == rejected.count && binCount > 0, "PairEvaluation: mismatched scores")
        let n = chosen.count
        pairs = n
        let margins = zip(chosen, rejected).map { $0 - $1 }
        func mean(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }
        accuracy = mean(margins.map { $0 > 0 ? 1 : 0 })
        marginMean = mean(margins)
        chosenMean = mean(chosen)
        rejectedMean = mean(rejected)
        var members = [[Double]](repeating: [], count: binCount)
        var right = [Int](repeating: 0, count: binCount)
        for m in margins {
            let p = 1 / (1 + Foundation.exp(-m))
            let c = max(p, 1 - p)
            let index = min(binCount - 1, Int((c - 0.5) * 2 * Double(binCount)))
            members[index].append(c)
            if m > 0 { right[index] += 1 }
        }
        bins = (0..<binCount).map { i in
            let width = 0.5 / Double(binCount)
            let k = members[i].count
            return Bin(
                lower: 0.5 + Double(i) * width, upper: 0.5 + Double(i + 1) * width, count: k,
                confidence: mean(members[i]), accuracy: k == 0 ? 0 : Double(right[i]) / Double(k))
        }
        calibrationError =
            n == 0
            ? 0 : bins.map { Double($0.count) / Double(n) * Swift.abs($0.accuracy - $0.confidence) }.reduce(0, +)
    }

    /// `{"accuracy", "pairs", "margin_mean", "chosen_mean", "rejected_mean", "calibration_error", "calibration"}`,
    /// each calibration bin as `{"bin": "[0.5,0.6)", "count", "confidence", "accuracy"}`.
    public var json: JSONObject {
        func r(_ x: Double) -> JSON { .double((x * 10_000).rounded() / 10_000) }
        return JSONObject([
            ("accuracy", r(accuracy)), ("pairs", .int(Int64(pairs))), ("margin_mean", r(marginMean)),
            ("chosen_mean", r(chosenMean)), ("rejected_mean", r(rejectedMean)),
            ("calibration_error", r(calibrationError)),
            (
                "calibration",
                .array(
                    bins.map { b in
                        .object(
                            JSONObject([
                                ("bin", .string("[\(b.lower),\(b.upper)\(b.upper >= 1 ? "]" : ")")")),
                                ("count", .int(Int64(b.count))),
                                ("confidence", r(b.confidence)), ("accuracy", r(b.accuracy)),
                            ]))
                    })
            ),
        ])
    }
}

extension OutcomeExample {
    /// Preference pairs implied by outcome labels: within each prompt, every completion with a higher label is
    /// preferred to one with a lower label (at most `limit` pairs, taken prompt by prompt in input order).
    public static func pairs(_ examples: [OutcomeExample], limit: Int = .max) -> [PreferencePair] {
        var byPrompt: [String: [OutcomeExample]] = [:]
        var order: [String] = []
        for e in examples {
            if byPrompt[e.prompt] == nil { order.append(e.prompt) }
            byPrompt[e.prompt, default: []].append(e)
        }
        var out: [PreferencePair] = []
        for prompt in order {
            let group = byPrompt[prompt]!
            for a in group {
                for b in group where a.label > b.label {
                    out.append(PreferencePair(prompt: prompt, chosen: a.completion, rejected: b.completion))
                    if out.count >= limit { return out }
                }
            }
        }
        return out
    }
}
