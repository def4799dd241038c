import Tensor
import Testing

/// The fused inference products equal the compositions of ops they replace, and leave training untouched.
@Suite("Fused inference products")
struct InferenceLinearTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let id: String
        let rows, inF: Int
        let outs: [Int]
        var testDescription: String { id }
    }

    static let cases = [
        Case(id: "one row (the single-sequence path)", rows: 1, inF: 24, outs: [16, 8, 8]),
        Case(id: "decode batch, q/k/v widths", rows: 64, inF: 64, outs: [64, 16, 16]),
        Case(id: "prompt rows, widths not multiples of 16", rows: 37, inF: 40, outs: [100, 7, 33]),
    ]

    static func maxError(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.values, b.values).map { Swift.abs($0 - $1) }.max() ?? 0
    }

    @Test(arguments: cases)
    func linearsEqualOneLinearPerWeight(_ c: Case) {
        var rng = Xoshiro256(seed: 21)
        let x = Tensor(randomNormal: [c.rows, c.inF], std: 1, rng: &rng)
        let ws = c.outs.map { Tensor(randomNormal: [$0, c.inF], std: 0.2, rng: &rng) }
        let bs: [Tensor?] = c.outs.enumerated().map { i, n in
            i == 1 ? nil : Tensor(randomNormal: [n], std: 1, rng: &rng)
        }
        let fused = Tensor.withoutGrad { Tensor.linears(x, ws, biases: bs) }
        for i in ws.indices {
            let plain = Tensor.linear(x, ws[i], bias: bs[i])
            #expect(fused[i].shape == [c.rows, c.outs[i]])
            #expect(Self.maxError(fused[i], plain) < 1e-5, "product \(i)")
        }
    }

    @Test(arguments: cases)
    func residualAndSwiGLUEqualTheirCompositions(_ c: Case) {
        var rng = Xoshiro256(seed: 22)
        let f = c.outs[0]
        let x = Tensor(randomNormal: [c.rows, c.inF], std: 1, rng: &rng)
        let w = Tensor(randomNormal: [f, c.inF], std: 0.2, rng: &rng)
        let up = Tensor(randomNormal: [f, c.inF], std: 0.2, rng: &rng)
        let res = Tensor(randomNormal: [c.rows, f], std: 1, rng: &rng)
        let (a, g) = Tensor.withoutGrad {
            (Tensor.linear(x, w, adding: res), Tensor.swiglu(x, gate: w, up: up))
        }
        #expect(Self.maxError(a, res + Tensor.linear(x, w)) < 1e-5)
        #expect(Self.maxError(g, Tensor.swiglu(gate: Tensor.linear(x, w), up: Tensor.linear(x, up))) < 1e-5)
    }

    /// With gradients on, the fused entry points record the same graph as their compositions.
    @Test func trackedCallsStillDifferentiate() {
        var rng = Xoshiro256(seed: 23)
        let x = Tensor(randomNormal: [5, 8], std: 1, rng: &rng, requiresGrad: true)
        let w = Tensor(randomNormal: [6, 8], std: 0.3, rng: &rng, requiresGrad: true)
        let u = Tensor(randomNormal: [6, 8], std: 0.3, rng: &rng, requiresGrad: true)
        let res = Tensor(randomNormal: [5, 6], std: 1, rng: &rng, requiresGrad: true)
        let y = Tensor.linear(x, w, adding: res) + Tensor.swiglu(x, gate: w, up: u) + Tensor.linears(x, [w])[0]
        #expect(y.requiresGrad)
        y.sum().backward()
        for t in [x, w, u, res] { #expect(t.grad?.contains { $0 != 0 } == true) }
    }
}
