// Which OpenBLAS kernel runs, and the best one this CPU supports (see Sources/Tensor/Core/BLASKernel.swift).
#ifndef ARBITER_CBLASKERNEL_H
#define ARBITER_CBLASKERNEL_H

/// CPU features that decide between OpenBLAS's x86 kernels; each is set only when the CPU has it AND the OS
/// saves the registers it needs (XGETBV), as OpenBLAS's own `support_avx*` checks require.
enum {
    ARBITER_CPU_AVX = 1 << 0,      ///< AVX with ymm state enabled by the OS
    ARBITER_CPU_AVX2 = 1 << 1,     ///< AVX2 (with AVX)
    ARBITER_CPU_FMA = 1 << 2,      ///< FMA3 (with AVX)
    ARBITER_CPU_AVX512 = 1 << 3,   ///< AVX-512 F, DQ, BW and VL with zmm/opmask state enabled by the OS
    ARBITER_CPU_AVX512BF16 = 1 << 4,  ///< AVX512_BF16 (with AVX-512)
};

/// The feature bits of the CPU running this process (0 on non-x86 machines).
unsigned arbiter_cpu_features(void);

/// The instruction-set tier of an OpenBLAS x86 kernel name (case-insensitive, as OPENBLAS_CORETYPE is read):
/// 1 SSE-only kernels (Prescott, Nehalem, Core2, ...), 2 AVX (Sandybridge, Bulldozer family), 3 AVX2+FMA
/// (Haswell, Zen), 4 AVX-512 (SkylakeX, Cooperlake, SapphireRapids); 0 for a name this table does not know.
int arbiter_blas_kernel_tier(const char *name);

/// The fastest OpenBLAS kernel `features` can run: "SkylakeX", "Haswell", "Sandybridge", or NULL when only
/// SSE kernels run (nothing to gain over OpenBLAS's own choice).
const char *arbiter_blas_best_kernel(unsigned features);

/// The kernel to restart with: `best` when OpenBLAS `loaded` a kernel of a lower tier than the CPU supports
/// and the user did not choose one (`requested`, the value of OPENBLAS_CORETYPE, is NULL or empty); NULL
/// otherwise (an unknown `loaded` name is left alone).
const char *arbiter_blas_kernel_choice(const char *loaded, unsigned features, const char *requested);

/// The kernel OpenBLAS chose on its own before this process restarted itself with a better one, or NULL when
/// it did not restart (recorded from the environment at load time).
const char *arbiter_blas_replaced_kernel(void);

/// Restarts this process (execv of /proc/self/exe with the same argv) with OPENBLAS_CORETYPE set to the best
/// kernel when OpenBLAS fell back to a generic one, saying so once on stderr. Returns when nothing is to be
/// done or the exec failed (said on stderr). Runs by itself at load time in every binary that links this.
void arbiter_blas_select_kernel(int argc, char **argv);

#endif
