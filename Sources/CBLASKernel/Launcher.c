// Chooses the OpenBLAS kernel before `main` in every binary that links the engine (grpo, the test bundle):
// OpenBLAS reads OPENBLAS_CORETYPE only while it loads, so a better kernel takes a restart, and a restart is
// cheapest and safest here, before any thread exists. Shared libraries' constructors (OpenBLAS's own
// initialisation among them) run before the executable's, so the loaded kernel is known by now.
#include "CBLASKernel.h"

/// glibc passes (argc, argv, envp) to ELF constructors, as to main.
__attribute__((constructor)) static void arbiterSelectBLASKernel(int argc, char **argv, char **envp) {
    (void)envp;
    arbiter_blas_select_kernel(argc, argv);
}
