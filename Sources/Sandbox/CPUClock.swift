#if canImport(Glibc)
import Glibc
#endif

extension Sandbox {
    /// CPU seconds (user + system) used so far by this process and its reaped children, boxes included (a box's
    /// init reaps its tree, and the supervisor reaps the init). For benchmarks that must not depend on load.
    public static func cpuSeconds() -> Double {
        var own = rusage(), children = rusage()
        getrusage(RUSAGE_SELF.rawValue, &own)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(own.ru_utime) + seconds(own.ru_stime) + seconds(children.ru_utime) + seconds(children.ru_stime)
    }
}
