import Testing

@testable import Sandbox

/// A launched box's program starts on a thread of its own, which a loaded machine may schedule after the caller
/// has already given the job its deadline (`RunningBox.setDeadline`, as the warm Python candidates get theirs). The
/// run must keep that deadline, not replace it with the box's own (longer) wall limit.
@Suite struct DeadlineOrderTests {
    @Test func aDeadlineSetBeforeTheRunStartsHolds() async throws {
        var execution = Execution(profile: try Repo.profile("python"))
        execution.limits.wallTimeMs = 60_000
        execution.files["main.py"] = Array("import time\ntime.sleep(30)\n".utf8)
        let box = try Box(execution, options: Sandbox.Options(), stdinFD: -2)
        defer { box.destroy() }
        for (path, bytes) in execution.files { try box.write(path, bytes, executable: false) }
        box.setDeadline(500)  // before the run starts: the order a slow run thread produces
        let result = try box.run(stdin: nil)
        #expect(result.verdict == .timeLimit, "\(result.verdict)")
        #expect(result.wallTime < 10, "the program ran \(result.wallTime) s; its deadline was 0.5 s")
    }
}
