import COpenBLAS

/// The matrix products of the module, all row-major, all through OpenBLAS `cblas_sgemm`.
///
/// OpenBLAS runs single-threaded; large products are split into row (or column) blocks, one per core, run by
/// `HotPool` (whose worker is still awake from the previous pass), and weight gradients (an inner dimension far
/// longer than the output) along k instead (`splitK`). Owning the threads keeps OpenBLAS's idle workers from
/// spinning (sched_yield) against this module's own parallel loops on a small machine.
public enum BLAS {
    /// Products below this many multiply-adds run on the calling thread.
    public static let parallelThreshold = 1 << 19

    /// Pins OpenBLAS to one thread, once, before the first product.
    private static let pinned: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// C[M,N] = alpha · op(A) op(B) + beta · C, row-major, where op(A) is [M,K] and op(B) is [K,N].
    /// `lda`, `ldb`, `ldc` are row strides (in floats) of A, B, C as stored. With `parallel`, large
    /// products use every core; pass false from inside a parallel loop.
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
        beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int, parallel: Bool = true
    ) {
        _ = pinned
        guard m > 0, n > 0 else { return }
        if k == 0 {
            for i in 0..<m {
                for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] }
            }
            return
        }
        if m == 1 || n == 1 {
            vector(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        let workers = Parallel.workers
        guard parallel, workers > 1, m * n * k >= parallelThreshold, max(m, n) >= 2 * workers else {
            kernel(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            return
        }
        if k >= splitKMinimum && k >= 4 * max(m, n) {
            splitK(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, workers: workers)
            return
        }
        // Each block writes its own rows (or columns) of C: disjoint, so the workers never race.
        let pa = SharedPointer(a)
        let pb = SharedPointer(b)
        let pc = SharedPointer(c)
        let byRows = m >= n
        let total = byRows ? m : n
        // One block per core: every block packs the whole of the other operand, so more blocks mean more
        // packing (measured on 2 cores: 2 blocks ran these products 7-25% faster than 4).
        let blocks = workers
        let per = (total + blocks - 1) / blocks
        HotPool.shared.run(blocks) { w in
            let lo = w * per
            let hi = min(total, lo + per)
            guard lo < hi else { return }
            if byRows {
                kernel(
                    transA, transB, hi - lo, n, k, alpha, pa.p + (transA ? lo : lo * lda), lda, pb.p, ldb, beta,
                    pc.p + lo * ldc, ldc)
            } else {
                kernel(
                    transA, transB, m, hi - lo, k, alpha, pa.p, lda, pb.p + (transB ? lo * ldb : lo), ldb, beta,
                    pc.p + lo, ldc)
            }
        }
    }

    /// The shortest inner dimension that `gemm` splits across the cores (see `splitK`).
    static let splitKMinimum = 1024

    /// A product whose inner dimension dwarfs the output (a weight gradient dW = dYᵀ X sums over every token
    /// of the batch): one partial product per core over its own slice of k, then their sum.
    ///
    /// Splitting C by rows or columns instead makes every core pack the whole of the other operand (k × n or
    /// m × k floats, the large ones here) for a small share of the work; split along k, each operand is packed
    /// once in total. The first slice accumulates straight into C with the caller's `beta`; the others go to a
    /// scratch buffer added afterwards, in slice order, so the result does not depend on which core ran what.
    private static func splitK(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, workers: Int
    ) {
        let slices = min(workers, k / (splitKMinimum / 2))
        let per = (k + slices - 1) / slices
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (slices - 1) * m * n)
        defer { scratch.deallocate() }
        let pa = SharedPointer(a)
        let pb = SharedPointer(b)
        let pc = SharedPointer(c)
        let ps = SharedPointer(scratch)
        HotPool.shared.run(slices) { s in
            let lo = s * per
            let hi = min(k, lo + per)
            // op(A)[:, lo..<hi] and op(B)[lo..<hi, :] as stored.
            let sa = pa.p + (transA ? lo * lda : lo)
            let sb = pb.p + (transB ? lo : lo * ldb)
            if s == 0 {
                kernel(transA, transB, m, n, hi - lo, alpha, sa, lda, sb, ldb, beta, pc.p, ldc)
            } else if lo < hi {
                kernel(transA, transB, m, n, hi - lo, alpha, sa, lda, sb, ldb, 0, ps.p + (s - 1) * m * n, n)
            } else {
                (ps.p + (s - 1) * m * n).update(repeating: 0, count: m * n)
            }
        }
        Parallel.forEach(m, minChunk: 16) { rows in
            for s in 1..<slices {
                for i in rows {
                    FastMath.axpy(1, ps.p + (s - 1) * m * n + i * n, pc.p + i * ldc, n)
                }
            }
        }
    }

    @inline(__always)
    private static func kernel(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// A product with one row or one column of C through `cblas_sgemv`, which (unlike sgemm) does not copy
    /// the matrix into a packed buffer first; this is the case of decoding one token at a time.
    private static func vector(
        _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
    ) {
        if beta == 0 {  // sgemv scales c by beta, which would keep NaNs of uninitialised memory
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0 } }
        }
        if m == 1 {
            // c[1,N] = a[1,K] · op(B): the vector a has stride lda when A is stored transposed ([K, 1]).
            let incA = Int32(transA ? lda : 1)
            if transB {  // B stored [N, K]: c = B a
                cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(n), Int32(k), alpha, b, Int32(ldb), a, incA, beta, c, 1)
            } else {  // B stored [K, N]: c = Bᵀ a
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(k), Int32(n), alpha, b, Int32(ldb), a, incA, beta, c, 1)
            }
        } else {
            // c[M,1] (stride ldc) = op(A) · b[K,1]: b has stride ldb when B is stored as [K, 1].
            let incB = Int32(transB ? 1 : ldb)
            if transA {  // A stored [K, M]: c = Aᵀ b
                cblas_sgemv(
                    CblasRowMajor, CblasTrans, Int32(k), Int32(m), alpha, a, Int32(lda), b, incB, beta, c,
                    Int32(ldc))
            } else {  // A stored [M, K]
                cblas_sgemv(
                    CblasRowMajor, CblasNoTrans, Int32(m), Int32(k), alpha, a, Int32(lda), b, incB, beta, c,
                    Int32(ldc))
            }
        }
    }

    /// OpenBLAS's own threaded sgemm (C = A B, square n), for comparing peaks in benchmarks only.
    public static func openBLASThreadedGemm(
        n: Int, threads: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
        _ c: UnsafeMutablePointer<Float>
    ) {
        _ = pinned
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(1) }
        kernel(false, false, n, n, n, 1, a, n, b, n, 0, c, n)
    }
}
