// Kernel detection and the restart with a better kernel; contracts in include/CBLASKernel.h.
#define _GNU_SOURCE
#include "CBLASKernel.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/// XCR0, the register state the OS saves on context switches (Intel SDM vol. 1, 13.3).
static unsigned long long xcr0(void) {
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

unsigned arbiter_cpu_features(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    // CPUID.1:ECX bit 27 OSXSAVE, bit 28 AVX, bit 12 FMA; XCR0 bits 1-2 SSE and AVX (ymm) state.
    if (!(c & (1u << 27)) || !(c & (1u << 28)) || (xcr0() & 0x6) != 0x6) return 0;
    unsigned features = ARBITER_CPU_AVX;
    if (c & (1u << 12)) features |= ARBITER_CPU_FMA;
    if (__get_cpuid_max(0, 0) < 7) return features;
    __cpuid_count(7, 0, a, b, c, d);
    if (b & (1u << 5)) features |= ARBITER_CPU_AVX2;
    // CPUID.(7,0):EBX bits 16 F, 17 DQ, 30 BW, 31 VL; XCR0 bits 5-7 opmask and zmm state.
    unsigned avx512 = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);
    if ((b & avx512) == avx512 && (xcr0() & 0xe0) == 0xe0) {
        features |= ARBITER_CPU_AVX512;
        __cpuid_count(7, 1, a, b, c, d);
        if (a & (1u << 5)) features |= ARBITER_CPU_AVX512BF16;  // CPUID.(7,1):EAX bit 5
    }
    return features;
}
#else
unsigned arbiter_cpu_features(void) { return 0; }
#endif

/// OpenBLAS 0.3.x x86 kernel names (driver/others/dynamic.c, `corename`) by the instruction set they use.
static const char *const tiers[][17] = {
    {"Katmai", "Coppermine", "Northwood", "Prescott", "Banias", "Atom", "Core2", "Penryn", "Dunnington", "Nehalem",
     "Athlon", "Opteron", "Opteron_SSE3", "Barcelona", "Nano", "Bobcat", NULL},
    {"Sandybridge", "Bulldozer", "Piledriver", "Steamroller", "Excavator", NULL},
    {"Haswell", "Zen", NULL},
    {"SkylakeX", "Cooperlake", "SapphireRapids", NULL},
};

int arbiter_blas_kernel_tier(const char *name) {
    if (name == NULL) return 0;
    for (int t = 0; t < (int)(sizeof tiers / sizeof tiers[0]); t++) {
        for (int i = 0; tiers[t][i] != NULL; i++) {
            if (strcasecmp(name, tiers[t][i]) == 0) return t + 1;
        }
    }
    return 0;
}

const char *arbiter_blas_best_kernel(unsigned features) {
    if (features & ARBITER_CPU_AVX512) return "SkylakeX";
    if ((features & ARBITER_CPU_AVX2) && (features & ARBITER_CPU_FMA)) return "Haswell";
    if (features & ARBITER_CPU_AVX) return "Sandybridge";
    return NULL;
}

const char *arbiter_blas_kernel_choice(const char *loaded, unsigned features, const char *requested) {
    if (requested != NULL && requested[0] != '\0') return NULL;
    const char *best = arbiter_blas_best_kernel(features);
    int tier = arbiter_blas_kernel_tier(loaded);
    if (best == NULL || tier == 0 || tier >= arbiter_blas_kernel_tier(best)) return NULL;
    return best;
}

/// The name OpenBLAS loaded (declared in cblas.h; not included here so that this file builds without it).
extern char *openblas_get_corename(void);

/// Environment variable carrying the kernel OpenBLAS chose on its own across the restart.
static const char replacedKey[] = "ARBITER_BLAS_REPLACED_KERNEL";
static char replaced[32];

const char *arbiter_blas_replaced_kernel(void) { return replaced[0] ? replaced : NULL; }

void arbiter_blas_select_kernel(int argc, char **argv) {
    const char *loaded = openblas_get_corename();
    const char *before = getenv(replacedKey);
    if (before != NULL) {  // the restarted process: remember, and keep the marker from child processes
        snprintf(replaced, sizeof replaced, "%s", before);
        unsetenv(replacedKey);
        const char *requested = getenv("OPENBLAS_CORETYPE");
        if (requested != NULL && strcasecmp(loaded, requested) != 0) {
            fprintf(
                stderr, "arbiter: OpenBLAS did not load the %s kernel it was restarted with; it runs %s.\n", requested,
                loaded);
        }
        return;
    }
    const char *best = arbiter_blas_kernel_choice(loaded, arbiter_cpu_features(), getenv("OPENBLAS_CORETYPE"));
    if (best == NULL || argc < 1 || argv == NULL || argv[0] == NULL) return;
    fprintf(
        stderr,
        "arbiter: OpenBLAS loaded its %s kernel on a CPU that runs %s; restarting with OPENBLAS_CORETYPE=%s "
        "(set OPENBLAS_CORETYPE yourself to choose).\n",
        loaded, best, best);
    fflush(stderr);
    setenv("OPENBLAS_CORETYPE", best, 1);
    setenv(replacedKey, loaded, 1);
    execv("/proc/self/exe", argv);
    fprintf(stderr, "arbiter: restarting failed (%s); running on with the %s kernel.\n", strerror(errno), loaded);
    unsetenv("OPENBLAS_CORETYPE");
    unsetenv(replacedKey);
}
