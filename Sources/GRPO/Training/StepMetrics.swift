import Foundation
import RewardKit

/// One metrics.jsonl line.
public enum StepMetrics {
    public static func line(
        step: Int, generated: [ScoredGroup], outcome: DynamicSampler.Outcome<ScoredGroup>,
        losses: [PolicyLoss.Result], times: PhaseTimes, lr: Double, gradNorm: Double
    ) -> JSONObject {
        let rewards = generated.flatMap(\.rewards).compactMap { $0 }
        let correct = generated.flatMap(\.correct)
        let lengths = generated.flatMap(\.rollouts).map { Double($0.tokens.count) }
        let mean = average(rewards)
        let std =
            rewards.count < 2
            ? 0 : (rewards.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rewards.count - 1)).squareRoot()
        let values: [String: Double] = [
            MetricKeys.step: Double(step),
            MetricKeys.rewardMean: mean, MetricKeys.rewardStd: std,
            MetricKeys.accuracy: average(correct.map { $0 ? 1 : 0 }),
            MetricKeys.policyLoss: average(losses.map(\.pgLoss)),
            MetricKeys.kl: average(losses.map { $0.kl ?? 0 }),
            MetricKeys.entropy: average(losses.map { $0.entropy ?? 0 }),
            MetricKeys.clipLow: average(losses.map(\.clipFraction.low)),
            MetricKeys.clipHigh: average(losses.map(\.clipFraction.high)),
            MetricKeys.groupsFiltered: outcome.filteredFraction,
            MetricKeys.responseLength: average(lengths),
            MetricKeys.tokensPerSecond: times.generate > 0 ? lengths.reduce(0, +) / times.generate : 0,
            MetricKeys.learningRate: lr, MetricKeys.gradNorm: gradNorm,
            MetricKeys.timeGenerate: times.generate, MetricKeys.timeScore: times.score,
            MetricKeys.timeUpdate: times.update,
        ]
        return JSONObject(
            MetricKeys.all.map { key in
                key == MetricKeys.step ? (key, .int(Int64(step))) : (key, .double(values[key]!))
            })
    }

    static func average(_ x: [Double]) -> Double { x.isEmpty ? 0 : x.reduce(0, +) / Double(x.count) }

    /// The progress bar's note.
    public static func summary(_ line: JSONObject) -> String {
        func f(_ k: String) -> String {
            let v = line[k]?.doubleValue ?? 0
            return String(Double(Int((v * 1000).rounded())) / 1000)
        }
        return "reward \(f(MetricKeys.rewardMean)) acc \(f(MetricKeys.accuracy)) entropy \(f(MetricKeys.entropy))"
    }
}

/// Wall-clock seconds per phase of one step.
public struct PhaseTimes: Sendable {
    public var generate = 0.0
    public var score = 0.0
    public var update = 0.0

    public init() {}

    mutating func measure<R>(_ phase: WritableKeyPath<PhaseTimes, Double>, _ body: () throws -> R) rethrows -> R {
        let start = Date()
        defer { self[keyPath: phase] += Date().timeIntervalSince(start) }
        return try body()
    }
}
