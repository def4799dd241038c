/// Times `MathVerify.verify` over gold/prediction pairs (the engine of `reward bench math`).
public enum MathVerifyBenchmark {
    /// One gold/prediction pair to check.
    public struct Pair: Sendable, Hashable {
        public var gold: String
        public var prediction: String
        public init(gold: String, prediction: String) {
            self.gold = gold
            self.prediction = prediction
        }
    }

    /// Timing of one run: per-check wall time in microseconds.
    public struct Stats: Sendable, Hashable, CustomStringConvertible {
        public var checks: Int
        public var equivalent: Int
        public var checksPerSecond: Double
        public var medianMicroseconds: Double
        public var p99Microseconds: Double
        public var maxMicroseconds: Double
        /// The slowest pair's fastest repetition: the max without scheduler noise (equals `maxMicroseconds` for one
        /// repetition).
        public var maxBestOfRepetitionsMicroseconds: Double
        /// Most budget steps any check used.
        public var maxSteps: Int
        /// The pair with the largest best-of-repetitions time, for investigation.
        public var slowest: Pair?

        public var description: String {
            func f(_ x: Double) -> String {
                let r = (x * 10).rounded() / 10
                return "\(r)"
            }
            return
                "checks \(checks)  equal \(equivalent)  checks/s \(Int(checksPerSecond))  median \(f(medianMicroseconds)) µs"
                + "  p99 \(f(p99Microseconds)) µs  max \(f(maxMicroseconds)) µs  max (best of repetitions) "
                + "\(f(maxBestOfRepetitionsMicroseconds)) µs  max steps \(maxSteps)"
        }
    }

    /// Runs every pair `repetitions` times (after one warm-up pass) and reports per-check times.
    public static func run(pairs: [Pair], options: MathVerify.Options = .init(), repetitions: Int = 1) -> Stats {
        guard !pairs.isEmpty else {
            return Stats(
                checks: 0, equivalent: 0, checksPerSecond: 0, medianMicroseconds: 0, p99Microseconds: 0,
                maxMicroseconds: 0, maxBestOfRepetitionsMicroseconds: 0, maxSteps: 0, slowest: nil)
        }
        for p in pairs.prefix(100) { _ = MathVerify.verify(gold: p.gold, prediction: p.prediction, options: options) }
        let clock = ContinuousClock()
        var times = [Double]()
        times.reserveCapacity(pairs.count * max(1, repetitions))
        var equivalent = 0
        var maxSteps = 0
        var best = [Double](repeating: .infinity, count: pairs.count)
        let total = clock.measure {
            for _ in 0..<max(1, repetitions) {
                for (i, p) in pairs.enumerated() {
                    var v: Verification?
                    let d = clock.measure {
                        v = MathVerify.verify(gold: p.gold, prediction: p.prediction, options: options)
                    }
                    let us = microseconds(d)
                    times.append(us)
                    if v!.isEquivalent { equivalent += 1 }
                    maxSteps = max(maxSteps, v!.steps)
                    best[i] = min(best[i], us)
                }
            }
        }
        times.sort()
        let slowestIndex = best.indices.max { best[$0] < best[$1] }!
        func percentile(_ q: Double) -> Double { times[min(times.count - 1, Int(q * Double(times.count - 1) + 0.5))] }
        return Stats(
            checks: times.count, equivalent: equivalent,
            checksPerSecond: Double(times.count) / (microseconds(total) / 1e6),
            medianMicroseconds: percentile(0.5), p99Microseconds: percentile(0.99),
            maxMicroseconds: times.last!, maxBestOfRepetitionsMicroseconds: best[slowestIndex],
            maxSteps: maxSteps, slowest: pairs[slowestIndex])
    }

    private static func microseconds(_ d: Duration) -> Double {
        let (s, attos) = d.components
        return Double(s) * 1e6 + Double(attos) / 1e12
    }
}
