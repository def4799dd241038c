import COpenBLAS

/// The matrix products of the module, all row-major, all through OpenBLAS `cblas_sgemm`.
public enum BLAS {
    /// C[M,N] = alpha * op(A) op(B) + beta * C, row-major, where op(A) is [M,K] and op(B) is [K,N].
    /// `lda`, `ldb`, `ldc` are row strides (in floats) of A, B, C as stored.
    @inlinable
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Threads OpenBLAS uses for one call.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// Runs `body` with OpenBLAS limited to one thread, for regions that call `gemm` from several
    /// workers at once (each worker then gets a core of its own).
    public static func singleThreaded<R>(_ body: () throws -> R) rethrows -> R {
        let saved = threads
        if saved == 1 { return try body() }
        threads = 1
        defer { threads = saved }
        return try body()
    }
}
