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
}
