import Testing

@testable import RewardKit

@Suite struct CompositionTests {
    let a = TableReward(table: ["x": 1, "y": 0.5])
    let b = TableReward(table: ["x": 0, "y": 2])

    @Test func weightedSumNamesComponents() async {
        let sum = WeightedSum([.init("a", weight: 2, a), .init("b", weight: -1, b)])
        let s = await sum.score([sample("x"), sample("y")])
        #expect(s[0].value == 2)
        #expect(s[1].value == -1)
        #expect(s[1].components == ["a": 0.5, "b": 2])
    }

    @Test func aFailingTermFailsTheSumAndSaysWhich() async {
        let s = await WeightedSum([.init("a", a), .init("b", b)]).score([sample("ERR"), sample("x")])
        #expect(s[0].error?.contains("a: boom") == true)
        #expect(s[1].error == nil)
    }

    @Test func gateLetsThroughOnlyAboveThreshold() async {
        let g = Gate(a, threshold: 1, then: b, otherwise: -1)
        let s = await g.score([sample("x"), sample("y")])
        #expect(s[0].value == 0)  // gate open (1 ≥ 1): b("x") = 0
        #expect(s[1].value == -1)  // gate closed (0.5 < 1)
        #expect(s[1].components["gate"] == 0.5)
    }

    @Test func clampAndScale() async {
        #expect(await Clamp(b, min: 0, max: 1).score([sample("y")])[0].value == 1)
        #expect(await Scale(a, factor: 3, offset: 1).score([sample("y")])[0].value == 2.5)
        #expect(await Scale(a, factor: 3).score([sample("ERR")])[0].isError)
    }

    @Test func compositionsNest() async throws {
        let recipe = try Recipe(
            text: #"""
                {"reward": {"clamp": {"sum": [
                    {"term": "table", "params": {"values": {"x": 3}}, "name": "t", "weight": 2},
                    {"gate": {"term": "table", "params": {"values": {"x": 1}}}, "then": {"scale": {"term": "table", "params": {"values": {"x": 5}}}, "factor": 0.1}, "name": "g"}
                ]}, "min": 0, "max": 6.2}}
                """#)
        let s = try await recipe.build(.testing).score([sample("x"), sample("z")])
        #expect(close(s[0].value, 6.2))  // 2·3 + 0.5 = 6.5, clamped
        #expect(s[1].value == 0)
        #expect(s[0].components["t"] == 3)
        #expect(s[0].components["g"] == 0.5)
    }

    @Test func sampleRewardBatchesKeepOrder() async {
        let r = ClosureReward { Score(Double($0.completionText.count)) }
        let batch = (0..<500).map { sample(String(repeating: "a", count: $0)) }
        let s = await r.score(batch)
        #expect(s.map(\.value) == (0..<500).map(Double.init))
    }
}
