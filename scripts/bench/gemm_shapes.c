// The matrix products of one training step of issue 18's model (d=256, q 256, k/v 128, ffn 688, 2,048 tokens)
// through OpenBLAS, split across 2 cores the ways the engine could split them, in GFLOP/s (best of 15):
// 4blk / 2blk: rows (or columns) of C in 4 or 2 blocks, OpenBLAS single-threaded in each (BLAS.gemm);
// obth2: OpenBLAS's own 2 threads; ksplit: the inner dimension halved, partial products summed (BLAS.splitK);
// 1thr: one core. `scripts/bench/torch_gemm_shapes.py` times PyTorch's products on the same shapes.
// Build and run: gcc -O2 -fopenmp scripts/bench/gemm_shapes.c -o /tmp/gemm_shapes -lopenblas && /tmp/gemm_shapes
// (OPENBLAS_CORETYPE selects the kernel, as for the engine).
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Row-major C[m,n] = op(A) op(B), op(A) [m,k], op(B) [k,n]: forward x Wᵀ (ta 0, tb 1), dX = dY W (0, 0),
// dW = dYᵀ X (1, 0).
typedef struct { int ta, tb, m, n, k; const char *name; } Shape;
static float *A, *B, *C, *C2;

static void gemm(int ta, int tb, int m, int n, int k, const float *a, int lda, const float *b, int ldb, float *c,
                 int ldc) {
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, 1, a, lda,
                b, ldb, 0, c, ldc);
}

static void blocks(Shape s, int nb, int lda, int ldb, int ldc) {
    int byRows = s.m >= s.n, total = byRows ? s.m : s.n, per = (total + nb - 1) / nb;
#pragma omp parallel for schedule(dynamic, 1) num_threads(2)
    for (int w = 0; w < nb; w++) {
        int lo = w * per, hi = lo + per > total ? total : lo + per;
        if (lo >= hi) continue;
        if (byRows)
            gemm(s.ta, s.tb, hi - lo, s.n, s.k, A + (s.ta ? lo : lo * lda), lda, B, ldb, C + lo * ldc, ldc);
        else
            gemm(s.ta, s.tb, s.m, hi - lo, s.k, A, lda, B + (s.tb ? lo * ldb : lo), ldb, C + lo, ldc);
    }
}

static void ksplit(Shape s, int lda, int ldb, int ldc) {
    int h = s.k / 2;
#pragma omp parallel for num_threads(2)
    for (int w = 0; w < 2; w++) {
        int lo = w ? h : 0, kk = w ? s.k - h : h;
        gemm(s.ta, s.tb, s.m, s.n, kk, s.ta ? A + lo * lda : A + lo, lda, s.tb ? B + lo : B + lo * ldb, ldb,
             w ? C2 : C, ldc);
    }
#pragma omp parallel for num_threads(2)
    for (int i = 0; i < s.m * s.n; i++) C[i] += C2[i];
}

int main(void) {
    size_t big = 2048 * 1024;
    A = malloc(big * 4), B = malloc(big * 4), C = malloc(big * 4), C2 = malloc(big * 4);
    for (size_t i = 0; i < big; i++) A[i] = (rand() % 100) / 100.f, B[i] = (rand() % 100) / 100.f;
    const int R = 2048;
    Shape shapes[] = {
        {0, 1, R, 256, 256, "forward q/o"}, {0, 1, R, 128, 256, "forward k/v"}, {0, 1, R, 688, 256, "forward gate/up"},
        {0, 1, R, 256, 688, "forward down"}, {0, 0, R, 256, 256, "dX q/o"}, {0, 0, R, 256, 128, "dX k/v"},
        {0, 0, R, 256, 688, "dX gate/up"}, {0, 0, R, 688, 256, "dX down"}, {1, 0, 256, 256, R, "dW q/o"},
        {1, 0, 128, 256, R, "dW k/v"}, {1, 0, 688, 256, R, "dW gate/up"}, {1, 0, 256, 688, R, "dW down"},
    };
    printf("%-16s %7s %7s %7s %7s %7s   GFLOP/s, best of 15\n", "product", "4blk", "2blk", "obth2", "ksplit", "1thr");
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++) {
        Shape s = shapes[i];
        int lda = s.ta ? s.m : s.k, ldb = s.tb ? s.k : s.n, ldc = s.n;
        double best[5] = {1e9, 1e9, 1e9, 1e9, 1e9}, t;
        for (int rep = 0; rep < 15; rep++) {
            openblas_set_num_threads(1);
            t = now(), blocks(s, 4, lda, ldb, ldc), t = now() - t, best[0] = t < best[0] ? t : best[0];
            t = now(), blocks(s, 2, lda, ldb, ldc), t = now() - t, best[1] = t < best[1] ? t : best[1];
            openblas_set_num_threads(2);
            t = now(), gemm(s.ta, s.tb, s.m, s.n, s.k, A, lda, B, ldb, C, ldc), t = now() - t;
            best[2] = t < best[2] ? t : best[2];
            openblas_set_num_threads(1);
            t = now(), ksplit(s, lda, ldb, ldc), t = now() - t, best[3] = t < best[3] ? t : best[3];
            t = now(), gemm(s.ta, s.tb, s.m, s.n, s.k, A, lda, B, ldb, C, ldc), t = now() - t;
            best[4] = t < best[4] ? t : best[4];
        }
        double f = 2.0 * s.m * s.n * s.k / 1e9;
        printf("%-16s %7.1f %7.1f %7.1f %7.1f %7.1f\n", s.name, f / best[0], f / best[1], f / best[2], f / best[3],
               f / best[4]);
    }
    return 0;
}
