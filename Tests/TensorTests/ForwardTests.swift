import Foundation
import Tensor
import Testing

/// Forward values of the ops against direct Double implementations of their formulas.
@Suite("Forward values")
struct ForwardTests {
    /// Naive attention in Double: one query at a time, explicit mask.
    static func naiveAttention(
        q: [Float], k: [Float], v: [Float], b: Int, tq: Int, s: Int, len: Int, heads: Int,
        kvHeads: Int, hd: Int, offset: Int, valid: [Bool]?
    ) -> [Double] {
        var out = [Double](repeating: 0, count: b * tq * heads * hd)
        for bi in 0..<b {
            for h in 0..<heads {
                let kh = h / (heads / kvHeads)
                for i in 0..<tq {
                    var scores: [(Int, Double)] = []
                    for j in 0..<len where j <= offset + i && (valid?[bi * s + j] ?? true) {
                        var dot = 0.0
                        for d in 0..<hd {
                            dot +=
                                Double(q[((bi * tq + i) * heads + h) * hd + d])
                                * Double(k[((bi * s + j) * kvHeads + kh) * hd + d])
                        }
                        scores.append((j, dot / Double(hd).squareRoot()))
                    }
                    guard let m = scores.map(\.1).max() else { continue }
                    let z = scores.reduce(0.0) { $0 + Foundation.exp($1.1 - m) }
                    for (j, sc) in scores {
                        let p = Foundation.exp(sc - m) / z
                        for d in 0..<hd {
                            out[((bi * tq + i) * heads + h) * hd + d] +=
                                p * Double(v[((bi * s + j) * kvHeads + kh) * hd + d])
                        }
                    }
                }
            }
        }
        return out
    }

    struct AttentionCase: Sendable, CustomTestStringConvertible {
        let id: String
        let b, tq, s, len, heads, kvHeads, hd, offset: Int
        let valid: [Bool]?
        var testDescription: String { id }
    }

    @Test(arguments: [
        AttentionCase(id: "causal", b: 2, tq: 5, s: 5, len: 5, heads: 2, kvHeads: 2, hd: 4, offset: 0, valid: nil),
        AttentionCase(
            id: "GQA 6 over 2 heads", b: 1, tq: 7, s: 7, len: 7, heads: 6, kvHeads: 2, hd: 8, offset: 0, valid: nil),
        AttentionCase(
            id: "left padding", b: 2, tq: 4, s: 4, len: 4, heads: 2, kvHeads: 1, hd: 4, offset: 0,
            valid: [false, false, true, true, true, true, true, true]),
        AttentionCase(
            id: "decode from cache", b: 3, tq: 1, s: 9, len: 6, heads: 4, kvHeads: 2, hd: 4, offset: 5, valid: nil),
        AttentionCase(
            id: "three causal blocks of queries", b: 2, tq: 150, s: 150, len: 150, heads: 2, kvHeads: 1, hd: 4,
            offset: 0, valid: nil),
        AttentionCase(
            id: "two blocks after a cached prefix", b: 1, tq: 70, s: 80, len: 75, heads: 2, kvHeads: 2, hd: 4,
            offset: 5, valid: nil),
        AttentionCase(
            id: "many units (parallel path)", b: 4, tq: 6, s: 6, len: 6, heads: 4, kvHeads: 4, hd: 8, offset: 0,
            valid: nil),
        AttentionCase(
            id: "decode, 4:1 groups, head dim 64, padded rows", b: 3, tq: 1, s: 12, len: 10, heads: 8, kvHeads: 2,
            hd: 64, offset: 9,
            valid: (0..<36).map { i in !(i < 3 || (i >= 12 && i < 14)) }),
        AttentionCase(
            id: "three queries after a cache, 3:1 groups (rows not a multiple of 4)", b: 2, tq: 3, s: 9, len: 8,
            heads: 3, kvHeads: 1, hd: 12, offset: 5, valid: nil),
        AttentionCase(
            id: "decode where one row sees no key", b: 2, tq: 1, s: 4, len: 3, heads: 2, kvHeads: 1, hd: 8, offset: 2,
            valid: [false, false, false, true, true, false, true, true]),
    ])
    func attentionMatchesNaive(_ c: AttentionCase) {
        var rng = Xoshiro256(seed: 3)
        let q = Tensor(randomNormal: [c.b, c.tq, c.heads * c.hd], std: 1, rng: &rng)
        let k = Tensor(randomNormal: [c.b, c.s, c.kvHeads * c.hd], std: 1, rng: &rng)
        let v = Tensor(randomNormal: [c.b, c.s, c.kvHeads * c.hd], std: 1, rng: &rng)
        let ref = Self.naiveAttention(
            q: q.values, k: k.values, v: v.values, b: c.b, tq: c.tq, s: c.s, len: c.len,
            heads: c.heads, kvHeads: c.kvHeads, hd: c.hd, offset: c.offset, valid: c.valid)
        // Untracked (the decoding path for few queries) and tracked (probabilities kept for backward).
        for tracked in [false, true] {
            q.requiresGrad = tracked
            let out = Tensor.attention(
                q: q, k: k, v: v, heads: c.heads, kvHeads: c.kvHeads, keyLength: c.len,
                mask: AttentionMask(queryOffset: c.offset, keyValid: c.valid))
            let err = zip(out.values, ref).map { Swift.abs(Double($0) - $1) }.max() ?? 0
            #expect(out.shape == [c.b, c.tq, c.heads * c.hd])
            #expect(err < 1e-5, "tracked \(tracked): max abs error \(err)")
        }
    }

    @Test func ropeRotatesHalvesLikeHuggingFace() {
        let hd = 6
        let theta = 500.0
        var rng = Xoshiro256(seed: 5)
        let x = Tensor(randomNormal: [2, hd], std: 1, rng: &rng)
        let positions: [Int32] = [3, 11]
        let y = Tensor.rope(x, positions: positions, heads: 1, headDim: hd, theta: theta).values
        for r in 0..<2 {
            for i in 0..<hd {
                // q * cos(emb) + rotate_half(q) * sin(emb), emb = cat(freqs, freqs)
                let f = Double(positions[r]) / pow(theta, Double(2 * (i % (hd / 2))) / Double(hd))
                let rot = i < hd / 2 ? -Double(x.values[r * hd + i + hd / 2]) : Double(x.values[r * hd + i - hd / 2])
                let expected = Double(x.values[r * hd + i]) * cos(f) + rot * sin(f)
                #expect(Swift.abs(Double(y[r * hd + i]) - expected) < 1e-5)
            }
        }
    }

    @Test func rmsNormMatchesFormula() {
        let x = Tensor(shape: [1, 4], values: [1, -2, 3, 0.5])
        let w = Tensor(shape: [4], values: [1, 2, 0.5, -1])
        let y = Tensor.rmsNorm(x, weight: w, eps: 1e-6).values
        let rms = ((1 + 4 + 9 + 0.25) / 4.0 + 1e-6).squareRoot()
        for (i, v) in [1.0, -2, 3, 0.5].enumerated() {
            #expect(Swift.abs(Double(y[i]) - Double(w.values[i]) * v / rms) < 1e-6)
        }
    }

    @Test func logProbsEntropyAndSoftmaxAgree() {
        var rng = Xoshiro256(seed: 8)
        let z = Tensor(randomNormal: [3, 9], std: 3, rng: &rng)
        let p = z.softmax().values
        let lp = z.logSoftmax().values
        let gathered = Tensor.gatherLogProbs(z, targets: [0, 4, 8]).values
        let h = z.entropy().values
        for r in 0..<3 {
            let row = (0..<9).map { Double(p[r * 9 + $0]) }
            #expect(Swift.abs(row.reduce(0, +) - 1) < 1e-6)
            for j in 0..<9 { #expect(Swift.abs(Foundation.log(row[j]) - Double(lp[r * 9 + j])) < 1e-4) }
            #expect(Swift.abs(Double(gathered[r]) - Double(lp[r * 9 + [0, 4, 8][r]])) < 1e-5)
            let ent = -row.reduce(0.0) { $0 + ($1 > 0 ? $1 * Foundation.log($1) : 0) }
            #expect(Swift.abs(Double(h[r]) - ent) < 1e-4)
        }
    }

    @Test func expIsAccurateOverItsRange() {
        let xs: [Float] = stride(from: -80, through: 80, by: 0.37).map { Float($0) }
        let y = Tensor(shape: [xs.count], values: xs).exp().values
        for (x, e) in zip(xs, y) {
            let ref = Foundation.exp(Double(x))
            #expect(Swift.abs(Double(e) - ref) / ref < 3e-7, "exp(\(x))")
        }
    }

    struct BroadcastCase: Sendable, CustomTestStringConvertible {
        let a: [Int], b: [Int], out: [Int]
        var testDescription: String { "\(a) ⊕ \(b)" }
    }

    @Test(arguments: [
        BroadcastCase(a: [3, 4], b: [4], out: [3, 4]),
        BroadcastCase(a: [2, 1, 3], b: [4, 1], out: [2, 4, 3]),
        BroadcastCase(a: [], b: [2, 2], out: [2, 2]),
        BroadcastCase(a: [5, 1], b: [1, 6], out: [5, 6]),
    ])
    func broadcastShapesAndValues(_ c: BroadcastCase) {
        let a = Tensor(shape: c.a, values: (0..<c.a.reduce(1, *)).map(Float.init))
        let b = Tensor(shape: c.b, values: (0..<c.b.reduce(1, *)).map { Float($0) * 100 })
        let s = a + b
        #expect(s.shape == c.out)
        // Every output equals a[ia] + b[ib] for its broadcast indices.
        let rank = c.out.count
        func index(_ flat: Int, _ shape: [Int]) -> Int {
            let padded = Array(repeating: 1, count: rank - shape.count) + shape
            var rem = flat
            var idx = 0
            var step = 1
            for d in (0..<rank).reversed() {
                let coord = rem % c.out[d]
                rem /= c.out[d]
                if padded[d] != 1 { idx += coord * step }
                step *= padded[d]
            }
            return idx
        }
        for i in 0..<s.count {
            #expect(s.values[i] == a.values[index(i, c.a)] + b.values[index(i, c.b)])
        }
    }
}
