import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Sandbox {
    /// Busy CPU seconds of the whole machine so far: user, nice, system, irq, softirq and steal time of every
    /// process and kernel thread (the `cpu` line of /proc/stat). It sees what per-process accounting cannot —
    /// box servers, long-lived grader boxes, boxes killed and reaped later, the kernel's namespace clean-up — and
    /// what other work does too, so it is meaningful only on a quiet machine. Nil when /proc/stat cannot be read.
    public static func machineBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return nil }
        let f = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard f.count >= 8 else { return nil }
        let busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7]  // user nice system (idle iowait) irq softirq steal
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
