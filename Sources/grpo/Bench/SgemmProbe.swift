import Foundation
import Tensor

/// Square sgemm rate, the better of this module's core split and OpenBLAS's own threads.
struct SgemmProbe {
    let n: Int
    let a: Storage, b: Storage, c: Storage

    init(n: Int) {
        self.n = n
        a = Storage(count: n * n)
        b = Storage(count: n * n)
        c = Storage(count: n * n)
        for i in 0..<(n * n) {
            a.pointer[i] = Float(i % 7) * 0.1
            b.pointer[i] = Float(i % 5) * 0.1
        }
    }

    func gflops() -> Double {
        let split = seconds {
            BLAS.gemm(
                transA: false, transB: false, m: n, n: n, k: n, a.pointer, lda: n, b.pointer, ldb: n,
                beta: 0, c.pointer, ldc: n)
        }
        let threaded = seconds {
            BLAS.openBLASThreadedGemm(n: n, threads: Parallel.workers, a.pointer, b.pointer, c.pointer)
        }
        // OpenBLAS's idle workers spin (sched_yield) for a while after a threaded call; let them go to sleep
        // so they do not take a core from the measurements that follow.
        Thread.sleep(forTimeInterval: 0.5)
        return 2 * Double(n * n * n) / min(split, threaded) / 1e9
    }
}
