import Foundation
import Sandbox
import Testing

/// `Sandbox.machineBusySeconds`: the whole machine's busy time from /proc/stat, which the HumanEval benchmark uses
/// so that pooled graders and the kernel's clean-up of boxes are counted.
@Suite struct MachineCPUTests {
    @Test func machineBusyTimeCountsAProcessesSpin() throws {
        let before = try #require(Sandbox.machineBusySeconds(), "/proc/stat must be readable")
        let ownBefore = ownCPUSeconds()
        // A fixed amount of work, whatever time it takes on this machine; the machine's busy time must grow at
        // least by the CPU time this process spent on it (less 2 ticks of /proc/stat's rounding).
        var x = 0.0
        for i in 0..<30_000_000 { x += sin(Double(i)) }
        let ownSpent = ownCPUSeconds() - ownBefore
        let after = try #require(Sandbox.machineBusySeconds())
        #expect(x.isFinite)
        #expect(ownSpent > 0.05, "the work took \(ownSpent) s of CPU: too little to compare")
        #expect(
            after - before >= ownSpent - 0.02,
            "busy time grew \(after - before) s while this process spent \(ownSpent) s")
    }

    /// This process's user + system CPU time (getrusage).
    func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
