import MathVerify
import Testing

@Suite("Benchmark")
struct BenchmarkTests {
    @Test func statsCountEveryCheckAndAreOrdered() {
        let pairs = [
            MathVerifyBenchmark.Pair(gold: "#### 72", prediction: "The answer is \\boxed{72}."),
            MathVerifyBenchmark.Pair(gold: "\\frac{1}{2}", prediction: "\\boxed{0.5}"),
            MathVerifyBenchmark.Pair(gold: "3", prediction: "\\boxed{4}"),
        ]
        let s = MathVerifyBenchmark.run(pairs: pairs, repetitions: 4)
        #expect(s.checks == 12)
        #expect(s.equivalent == 8)
        #expect(s.medianMicroseconds <= s.p99Microseconds && s.p99Microseconds <= s.maxMicroseconds)
        #expect(s.maxBestOfRepetitionsMicroseconds <= s.maxMicroseconds)
        // The whole run's time (checks / rate) holds every check, so at least the slowest one.
        #expect(Double(s.checks) / s.checksPerSecond * 1e6 >= s.maxMicroseconds)
        #expect(s.maxSteps > 0 && s.maxSteps <= MathVerify.Options().maxSteps)
        #expect(s.slowest.map { slowest in pairs.contains { $0.gold == slowest.gold } } == true)
    }

    /// With one repetition there is no scheduler noise to take away: the slowest pair's best time is the max.
    @Test func oneRepetitionsBestIsTheMax() {
        let pair = MathVerifyBenchmark.Pair(gold: "\\frac{1}{3}", prediction: "\\boxed{0.5}")
        let s = MathVerifyBenchmark.run(pairs: [pair], repetitions: 1)
        #expect(s.checks == 1 && s.equivalent == 0)
        #expect(s.maxBestOfRepetitionsMicroseconds == s.maxMicroseconds)
        #expect(s.medianMicroseconds == s.maxMicroseconds)
        #expect(s.slowest?.prediction == pair.prediction)
    }

    @Test func emptyInputGivesZeroStats() {
        let s = MathVerifyBenchmark.run(pairs: [])
        #expect(s.checks == 0 && s.slowest == nil)
    }
}
