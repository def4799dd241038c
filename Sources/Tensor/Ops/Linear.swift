/// Matrix products through `cblas_sgemm`.
extension Tensor {
    /// y = x Wᵀ + b, as PyTorch's `nn.Linear` (weights stored [out, in] like HuggingFace checkpoints).
    ///
    /// Shapes: x [..., in], weight [out, in], bias [out] or nil → y [..., out].
    /// Backward (llm.c `matmul_backward`): dx += dy W, dW += dyᵀ x, db += Σ_rows dy.
    public static func linear(_ x: Tensor, _ weight: Tensor, bias: Tensor? = nil) -> Tensor {
        precondition(weight.shape.count == 2, "linear: weight must be [out, in], got \(weight.shape)")
        let outF = weight.shape[0]
        let inF = weight.shape[1]
        precondition(x.shape.last == inF, "linear: x \(x.shape) does not end in \(inF) (weight \(weight.shape))")
        if let bias { precondition(bias.shape == [outF], "linear: bias \(bias.shape) is not [\(outF)]") }
        let rows = x.count / max(inF, 1)
        let out = Storage(uninitialized: rows * outF)
        BLAS.gemm(
            transA: false, transB: true, m: rows, n: outF, k: inF, x.data, lda: inF, weight.data, ldb: inF,
            beta: 0, out.pointer, ldc: outF)
        if let bias {
            for r in 0..<rows {
                let row = out.pointer + r * outF
                for j in 0..<outF { row[j] += bias.data[j] }
            }
        }
        let shape = Array(x.shape.dropLast()) + [outF]
        return result(shape, out, inputs: [x, weight] + (bias.map { [$0] } ?? [])) { o in
            let g = o.gradStorage!.pointer
            if x.requiresGrad {
                let (gx, fresh) = x.gradBuffer()
                BLAS.gemm(
                    transA: false, transB: false, m: rows, n: inF, k: outF, g, lda: outF, weight.data, ldb: inF,
                    beta: fresh ? 0 : 1, gx, ldc: inF)
            }
            if weight.requiresGrad {
                let (gw, fresh) = weight.gradBuffer()
                BLAS.gemm(
                    transA: true, transB: false, m: outF, n: inF, k: rows, g, lda: outF, x.data, ldb: inF,
                    beta: fresh ? 0 : 1, gw, ldc: inF)
            }
            if let bias, bias.requiresGrad {
                let gb = bias.ensureGrad()
                for r in 0..<rows {
                    let row = g + r * outF
                    for j in 0..<outF { gb[j] += row[j] }
                }
            }
        }
    }

    /// C = A B for A [m, k], B [k, n] → [m, n]. Backward: dA += dC Bᵀ, dB += Aᵀ dC.
    public static func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(
            a.shape.count == 2 && b.shape.count == 2 && a.shape[1] == b.shape[0],
            "matmul: shapes \(a.shape) and \(b.shape) do not multiply")
        let m = a.shape[0]
        let k = a.shape[1]
        let n = b.shape[1]
        let out = Storage(uninitialized: m * n)
        BLAS.gemm(
            transA: false, transB: false, m: m, n: n, k: k, a.data, lda: k, b.data, ldb: n,
            beta: 0, out.pointer, ldc: n)
        return result([m, n], out, inputs: [a, b]) { o in
            let g = o.gradStorage!.pointer
            if a.requiresGrad {
                BLAS.gemm(
                    transA: false, transB: true, m: m, n: k, k: n, g, lda: n, b.data, ldb: n,
                    beta: 1, a.ensureGrad(), ldc: k)
            }
            if b.requiresGrad {
                BLAS.gemm(
                    transA: true, transB: false, m: k, n: n, k: m, a.data, lda: k, g, ldb: n,
                    beta: 1, b.ensureGrad(), ldc: n)
            }
        }
    }
}
