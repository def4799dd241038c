import Foundation
import Sandbox
import Testing

/// `Sandbox.machineBusySeconds`: the whole machine's busy time from /proc/stat, which the HumanEval benchmark uses
/// so that pooled graders and the kernel's clean-up of boxes are counted.
@Suite struct MachineCPUTests {
    @Test func machineBusyTimeCountsAProcessesSpin() throws {
        let before = try #require(Sandbox.machineBusySeconds(), "/proc/stat must be readable")
        // Spin this thread for 0.3 s of its own CPU time: the machine's busy time must grow at least that much
        // (less 2 ticks of rounding), whatever else runs.
        let start = clock()
        var x = 0.0
        while Double(clock() - start) / Double(CLOCKS_PER_SEC) < 0.3 { x += sin(x) + 1 }
        let after = try #require(Sandbox.machineBusySeconds())
        #expect(x > 0)
        #expect(after - before >= 0.28, "busy time grew \(after - before) s over a 0.3 s spin")
    }
}
