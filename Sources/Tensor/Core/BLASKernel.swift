import CBLASKernel
import COpenBLAS

#if canImport(Glibc)
    import Glibc
#endif

/// The OpenBLAS kernel this process multiplies with, and the best one its CPU supports.
///
/// Debian's OpenBLAS picks a kernel by CPU model while it loads; on a model it does not know (OpenBLAS 0.3.21
/// on Xeon family 6 model 207, for one) it falls back to the generic SSE `Prescott` kernel, 4× slower than
/// `SkylakeX` there. Every binary that links this module therefore checks at load time, before `main`
/// (Sources/CBLASKernel/Launcher.c): when OpenBLAS loaded a kernel of a lower instruction-set tier than the
/// CPU runs, and `OPENBLAS_CORETYPE` is not set, the process restarts itself once with `OPENBLAS_CORETYPE`
/// set to ``best`` and says so on stderr. A user's own `OPENBLAS_CORETYPE` always wins.
public enum BLASKernel {
    /// The kernel OpenBLAS runs in this process (`openblas_get_corename`), e.g. "SkylakeX", "Prescott".
    public static var loaded: String { String(cString: openblas_get_corename()) }

    /// The CPU's vector extensions that decide between kernels, each only if the OS enables its registers.
    public static var features: Features { Features(rawValue: arbiter_cpu_features()) }

    /// The fastest kernel the CPU runs ("SkylakeX", "Haswell", "Sandybridge"), nil when only SSE kernels run.
    public static var best: String? { best(for: features) }

    /// The kernels whose results the tests compare on this CPU: the generic `Prescott` and each tier up to
    /// ``best`` ("Sandybridge" only when it is the best).
    public static var runnable: [String] {
        let f = features
        var names = ["Prescott"]
        if f.contains(.avx), !(f.contains(.avx2) && f.contains(.fma)) { names.append("Sandybridge") }
        if f.contains(.avx2), f.contains(.fma) { names.append("Haswell") }
        if f.contains(.avx512) { names.append("SkylakeX") }
        return names
    }

    /// The kernel OpenBLAS had chosen by itself before this process restarted with ``loaded``, or nil when the
    /// process did not restart.
    public static var replaced: String? { arbiter_blas_replaced_kernel().map { String(cString: $0) } }

    /// `OPENBLAS_CORETYPE` as the user (or the restart) set it, nil when unset or empty.
    public static var requested: String? {
        guard let v = getenv("OPENBLAS_CORETYPE"), v.pointee != 0 else { return nil }
        return String(cString: v)
    }

    /// How ``loaded`` was chosen: by this module's restart, by `OPENBLAS_CORETYPE`, or by OpenBLAS alone.
    public static var chosenBy: String {
        if let r = replaced { return "Arbiter (restarted; OpenBLAS alone loaded \(r))" }
        if let r = requested { return "OPENBLAS_CORETYPE=\(r)" }
        return "OpenBLAS"
    }

    /// One line for reports: the kernel, how it was chosen and what the CPU supports.
    public static var summary: String {
        "\(loaded) (chosen by \(chosenBy); CPU: \(features), best kernel \(best ?? "any SSE one"))"
    }

    /// The fastest kernel `features` runs, nil when only SSE kernels run.
    public static func best(for features: Features) -> String? {
        arbiter_blas_best_kernel(features.rawValue).map { String(cString: $0) }
    }

    /// The instruction-set tier of a kernel name, case-insensitive: 1 SSE (Prescott, Nehalem, …), 2 AVX
    /// (Sandybridge, …), 3 AVX2 + FMA (Haswell, Zen), 4 AVX-512 (SkylakeX, Cooperlake, SapphireRapids), 0 unknown.
    public static func tier(of name: String) -> Int { Int(arbiter_blas_kernel_tier(name)) }

    /// The kernel a process restarts with: the best one for `features` when `loaded` is of a lower tier and
    /// `requested` (OPENBLAS_CORETYPE) is nil or empty; nil otherwise, and for kernel names of unknown tier.
    public static func choice(loaded: String, features: Features, requested: String?) -> String? {
        arbiter_blas_kernel_choice(loaded, features.rawValue, requested).map { String(cString: $0) }
    }

    /// CPU vector extensions (CPUID, with XGETBV confirming the OS saves their registers).
    public struct Features: OptionSet, Sendable, CustomStringConvertible {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let avx = Features(rawValue: UInt32(ARBITER_CPU_AVX))
        public static let avx2 = Features(rawValue: UInt32(ARBITER_CPU_AVX2))
        public static let fma = Features(rawValue: UInt32(ARBITER_CPU_FMA))
        /// AVX-512 F, DQ, BW and VL: what OpenBLAS's SkylakeX kernels use.
        public static let avx512 = Features(rawValue: UInt32(ARBITER_CPU_AVX512))
        public static let avx512bf16 = Features(rawValue: UInt32(ARBITER_CPU_AVX512BF16))

        public var description: String {
            let names: [(Features, String)] = [
                (.avx, "AVX"), (.avx2, "AVX2"), (.fma, "FMA"), (.avx512, "AVX-512"), (.avx512bf16, "AVX512_BF16"),
            ]
            let present = names.filter { contains($0.0) }.map(\.1)
            return present.isEmpty ? "SSE only" : present.joined(separator: " ")
        }
    }
}
