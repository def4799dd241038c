import Testing

@testable import GRPO

@Suite struct SurrogateTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var ratio: Double
        var advantage: Double
        var config: GRPOConfig
        var loss: Double
        var dRatio: Double
        var flags: String  // l = low clipped, h = high clipped, d = dual clipped
        var testDescription: String { id }
    }

    // ε_low 0.2, ε_high 0.28 (DAPO): the clip interval is [0.8, 1.28].
    static let dapo = GRPOConfig().with {
        $0.epsilonLow = 0.2
        $0.epsilonHigh = 0.28
    }
    static let cases: [Case] = [
        Case(id: "inside, A>0", ratio: 1.1, advantage: 2, config: dapo, loss: -2.2, dRatio: -2, flags: ""),
        Case(
            id: "above high, A>0: clipped", ratio: 1.5, advantage: 1, config: dapo, loss: -1.28, dRatio: 0, flags: "h"),
        Case(
            id: "below low, A>0: unclipped", ratio: 0.5, advantage: 1, config: dapo, loss: -0.5, dRatio: -1, flags: ""),
        Case(id: "below low, A<0: clipped", ratio: 0.5, advantage: -1, config: dapo, loss: 0.8, dRatio: 0, flags: "l"),
        Case(
            id: "above high, A<0: unclipped", ratio: 1.5, advantage: -1, config: dapo, loss: 1.5, dRatio: 1, flags: ""),
        Case(
            id: "dual clip caps a negative-advantage loss at c·|A|", ratio: 4, advantage: -1,
            config: dapo.with { $0.dualClip = 3 }, loss: 3, dRatio: 0, flags: "d"),
        Case(
            id: "dual clip inactive below c", ratio: 2.5, advantage: -2, config: dapo.with { $0.dualClip = 3 },
            loss: 5, dRatio: 2, flags: ""),
        Case(
            id: "dual clip ignores A>0", ratio: 4, advantage: 1, config: dapo.with { $0.dualClip = 3 }, loss: -1.28,
            dRatio: 0, flags: "h"),
        Case(
            id: "TRL delta caps the unclipped ratio for A<0", ratio: 3, advantage: -1,
            config: dapo.with { $0.delta = 2 },
            loss: 2, dRatio: 0, flags: ""),
        Case(
            id: "TRL delta below the ratio, A>0 still clipped high", ratio: 3, advantage: 1,
            config: dapo.with { $0.delta = 2 }, loss: -1.28, dRatio: 0, flags: "h"),
        Case(id: "zero advantage", ratio: 3, advantage: 0, config: dapo, loss: 0, dRatio: 0, flags: ""),
    ]

    @Test(arguments: cases)
    func clippedSurrogate(c: Case) {
        let s = ClippedSurrogate(ratio: c.ratio, advantage: c.advantage, config: c.config)
        #expect(close(s.loss, c.loss))
        #expect(close(s.dRatio, c.dRatio))
        let flags = (s.lowClipped ? "l" : "") + (s.highClipped ? "h" : "") + (s.dualClipped ? "d" : "")
        #expect(flags == c.flags)
    }

    @Test(arguments: [0.3, 0.79, 0.81, 1.0, 1.27, 1.29, 2.0, 3.5])
    func derivativeMatchesFiniteDifferences(ratio: Double) {
        let config = Self.dapo.with {
            $0.dualClip = 3
            $0.delta = 3
        }
        for a in [-1.5, 0.7] {
            let h = 1e-7
            let up = ClippedSurrogate(ratio: ratio + h, advantage: a, config: config).loss
            let down = ClippedSurrogate(ratio: ratio - h, advantage: a, config: config).loss
            let d = ClippedSurrogate(ratio: ratio, advantage: a, config: config).dRatio
            #expect(close(d, (up - down) / (2 * h), 1e-6), "r \(ratio) A \(a)")
        }
    }
}
