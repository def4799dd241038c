import MathVerify
import Testing

@Suite("Concurrency")
struct ConcurrencyTests {
    @Test func concurrentChecksAgreeWithSequentialOnes() async {
        let cases = allEquivalenceCases
        let sequential = cases.map { MathVerify.verify(gold: $0.gold, prediction: $0.prediction) }
        let concurrent = await withTaskGroup(of: (Int, Verification).self) { group in
            for _ in 0..<4 {
                for (i, c) in cases.enumerated() {
                    group.addTask { (i, MathVerify.verify(gold: c.gold, prediction: c.prediction)) }
                }
            }
            var results: [(Int, Verification)] = []
            for await r in group { results.append(r) }
            return results
        }
        #expect(concurrent.count == 4 * cases.count)
        for (i, v) in concurrent { #expect(v == sequential[i], "\(cases[i].id)") }
    }
}
