import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CSandbox

extension Sandbox {
    /// CPU seconds (user + system) used so far by this process and its reaped children, boxes included (a box's
    /// init reaps its tree; the box server reaps the inits and reports its children's time, or the supervisor
    /// reaps an in-process clone). A box whose init has ended in the last 100 ms may not be counted yet. For
    /// benchmarks that must not depend on load.
    public static func cpuSeconds() -> Double {
        var own = rusage(), children = rusage()
        getrusage(RUSAGE_SELF.rawValue, &own)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(own.ru_utime) + seconds(own.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime)
            + Double(csb_helper_cpu_us()) / 1e6
    }

    /// Busy CPU seconds of the whole machine so far: user, nice, system, irq, softirq and steal time of every
    /// process and kernel thread (the `cpu` line of /proc/stat). It sees what `cpuSeconds` cannot — long-lived
    /// grader boxes, boxes killed and reaped later, the kernel's namespace clean-up — and what other work does
    /// too, so it is meaningful only on a quiet machine. Nil when /proc/stat cannot be read.
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
