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
        #expect(s.checksPerSecond > 0)
        #expect(s.maxSteps > 0 && s.maxSteps <= MathVerify.Options().maxSteps)
        #expect(s.slowest != nil)
    }

    @Test func emptyInputGivesZeroStats() {
        let s = MathVerifyBenchmark.run(pairs: [])
        #expect(s.checks == 0 && s.slowest == nil)
    }
}
