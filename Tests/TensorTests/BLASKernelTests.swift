import Tensor
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("BLASKernel")
struct BLASKernelTests {
    static let avx512: BLASKernel.Features = [.avx, .avx2, .fma, .avx512]

    @Test func tiersFollowTheInstructionSet() {
        #expect(BLASKernel.tier(of: "Prescott") == 1)
        #expect(BLASKernel.tier(of: "prescott") == 1)  // OPENBLAS_CORETYPE is read case-insensitively
        #expect(BLASKernel.tier(of: "Nehalem") == 1)
        #expect(BLASKernel.tier(of: "Opteron_SSE3") == 1)
        #expect(BLASKernel.tier(of: "Sandybridge") == 2)
        #expect(BLASKernel.tier(of: "Excavator") == 2)
        #expect(BLASKernel.tier(of: "Haswell") == 3)
        #expect(BLASKernel.tier(of: "Zen") == 3)
        #expect(BLASKernel.tier(of: "SkylakeX") == 4)
        #expect(BLASKernel.tier(of: "Cooperlake") == 4)
        #expect(BLASKernel.tier(of: "NEOVERSEN1") == 0)
        #expect(BLASKernel.tier(of: "") == 0)
        #expect(BLASKernel.tier(of: "Skylake") == 0)  // a prefix of a known name is not that name
    }

    @Test func bestKernelNeedsEveryFeatureItUses() {
        #expect(BLASKernel.best(for: []) == nil)
        #expect(BLASKernel.best(for: [.avx]) == "Sandybridge")
        #expect(BLASKernel.best(for: [.avx, .avx2]) == "Sandybridge")  // Haswell's kernels use FMA3
        #expect(BLASKernel.best(for: [.avx, .fma]) == "Sandybridge")
        #expect(BLASKernel.best(for: [.avx, .avx2, .fma]) == "Haswell")
        #expect(BLASKernel.best(for: Self.avx512) == "SkylakeX")
        #expect(BLASKernel.best(for: Self.avx512.union(.avx512bf16)) == "SkylakeX")
    }

    @Test func restartsOnlyFromALowerTierAndOnlyWhenTheUserChoseNothing() {
        // The case of the issue: OpenBLAS 0.3.21 does not know Xeon family 6 model 207 and loads Prescott.
        #expect(BLASKernel.choice(loaded: "Prescott", features: Self.avx512, requested: nil) == "SkylakeX")
        #expect(BLASKernel.choice(loaded: "Prescott", features: Self.avx512, requested: "") == "SkylakeX")
        #expect(BLASKernel.choice(loaded: "Haswell", features: Self.avx512, requested: nil) == "SkylakeX")
        #expect(BLASKernel.choice(loaded: "Nehalem", features: [.avx, .avx2, .fma], requested: nil) == "Haswell")
        #expect(BLASKernel.choice(loaded: "Prescott", features: [.avx], requested: nil) == "Sandybridge")
        // A user's own OPENBLAS_CORETYPE wins, whatever it names.
        #expect(BLASKernel.choice(loaded: "Prescott", features: Self.avx512, requested: "Prescott") == nil)
        #expect(BLASKernel.choice(loaded: "Prescott", features: Self.avx512, requested: "Bogus") == nil)
        // Already the best tier (including other kernels of it), or nothing better to run.
        #expect(BLASKernel.choice(loaded: "SkylakeX", features: Self.avx512, requested: nil) == nil)
        #expect(BLASKernel.choice(loaded: "Cooperlake", features: Self.avx512, requested: nil) == nil)
        #expect(BLASKernel.choice(loaded: "Zen", features: [.avx, .avx2, .fma], requested: nil) == nil)
        #expect(BLASKernel.choice(loaded: "Prescott", features: [], requested: nil) == nil)
        // A kernel name of no known tier (another architecture, a newer OpenBLAS) is left alone.
        #expect(BLASKernel.choice(loaded: "NEOVERSEN1", features: Self.avx512, requested: nil) == nil)
    }

    @Test func featureNamesAreListed() {
        #expect(BLASKernel.Features().description == "SSE only")
        #expect(Self.avx512.description == "AVX AVX2 FMA AVX-512")
    }

    /// What the load-time check did in this very process (the test bundle links Tensor, so it ran here too).
    @Test func thisProcessRunsTheBestKernelUnlessTheUserChoseOne() {
        let loaded = BLASKernel.loaded
        #expect(!loaded.isEmpty)
        if let requested = BLASKernel.requested {
            #expect(loaded.lowercased() == requested.lowercased() || BLASKernel.tier(of: requested) == 0)
        } else if let best = BLASKernel.best, BLASKernel.tier(of: loaded) > 0 {
            #expect(BLASKernel.tier(of: loaded) >= BLASKernel.tier(of: best), "\(BLASKernel.summary)")
        }
        if let replaced = BLASKernel.replaced {
            #expect(BLASKernel.tier(of: replaced) < BLASKernel.tier(of: loaded), "\(BLASKernel.summary)")
            #expect(BLASKernel.requested == BLASKernel.best)
        }
        #expect(getenv("ARBITER_BLAS_REPLACED_KERNEL") == nil)  // not passed on to child processes
        let runnable = BLASKernel.runnable
        #expect(runnable.first == "Prescott")
        if let best = BLASKernel.best { #expect(runnable.last == best) }
    }
}
