import Tensor
import Testing

/// `BLAS.gemm` against a naive triple loop for every transpose combination and the special shapes
/// (one row, one column, blocks split across cores, strided operands).
@Suite("BLAS.gemm")
struct BLASTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let m, n, k: Int
        let transA, transB: Bool
        var testDescription: String { "\(m)×\(n)×\(k) tA=\(transA) tB=\(transB)" }
    }

    static let cases: [Case] =
        [1, 3, 130].flatMap { m in
            [1, 5, 140].flatMap { n in
                [false, true].flatMap { ta in
                    [false, true].map { tb in Case(m: m, n: n, k: m == 130 ? 40 : 7, transA: ta, transB: tb) }
                }
            }
        } + innerHeavy

    /// An inner dimension far larger than the output (weight gradients), which `gemm` splits along k.
    static let innerHeavy: [Case] = [false, true].flatMap { ta in
        [false, true].map { tb in Case(m: 24, n: 40, k: 2101, transA: ta, transB: tb) }
    }

    @Test(arguments: cases)
    func matchesNaiveProduct(_ c: Case) {
        var rng = Xoshiro256(seed: 1)
        // Stored with an extra 2 columns of padding to exercise the leading dimensions.
        let aRows = c.transA ? c.k : c.m
        let aCols = c.transA ? c.m : c.k
        let bRows = c.transB ? c.n : c.k
        let bCols = c.transB ? c.k : c.n
        let lda = aCols + 2
        let ldb = bCols + 2
        let ldc = c.n + 2
        let a = Tensor(randomNormal: [aRows * lda], std: 1, rng: &rng)
        let b = Tensor(randomNormal: [bRows * ldb], std: 1, rng: &rng)
        let out = Tensor(randomNormal: [c.m * ldc], std: 1, rng: &rng)
        let before = out.values
        BLAS.gemm(
            transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: 0.5, a.data, lda: lda, b.data,
            ldb: ldb, beta: 2, out.data, ldc: ldc)
        var worst = 0.0
        for i in 0..<c.m {
            for j in 0..<c.n {
                var s = 0.0
                for p in 0..<c.k {
                    let x = c.transA ? a.data[p * lda + i] : a.data[i * lda + p]
                    let y = c.transB ? b.data[j * ldb + p] : b.data[p * ldb + j]
                    s += Double(x) * Double(y)
                }
                let expected = 0.5 * s + 2 * Double(before[i * ldc + j])
                worst = max(worst, Swift.abs(expected - Double(out.data[i * ldc + j])))
            }
            for j in c.n..<ldc { #expect(out.data[i * ldc + j] == before[i * ldc + j], "padding untouched") }
        }
        #expect(worst < 1e-3)
    }

    /// β = 0 overwrites C whatever it held, NaN included: backward passes hand freshly allocated, uncleared
    /// gradient buffers to `gemm` with β = 0 (`Tensor.gradBuffer`).
    @Test(
        arguments: [
            Case(m: 130, n: 140, k: 40, transA: false, transB: true),
            Case(m: 1, n: 140, k: 7, transA: false, transB: true),
        ] + innerHeavy)
    func betaZeroOverwritesGarbage(_ c: Case) {
        var rng = Xoshiro256(seed: 2)
        let a = Tensor(randomNormal: [c.m * c.k], std: 1, rng: &rng)
        let b = Tensor(randomNormal: [c.k * c.n], std: 1, rng: &rng)
        let out = Tensor(zeros: [c.m * c.n])
        for i in 0..<c.m * c.n { out.data[i] = .nan }
        BLAS.gemm(
            transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, a.data, lda: c.transA ? c.m : c.k, b.data,
            ldb: c.transB ? c.k : c.n, beta: 0, out.data, ldc: c.n)
        #expect((0..<c.m * c.n).allSatisfy { out.data[$0].isFinite })
    }
}
