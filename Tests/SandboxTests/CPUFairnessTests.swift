import Foundation
import Sandbox
import Testing

/// Boxes share the CPU as equals (one cgroup cpu group each, capped at its `cpu_millicores`): a box spinning on
/// more processes than the machine has cores cannot starve a neighbour box.
@Suite(.serialized) struct CPUFairnessTests {
    /// A short CPU-bound job; its box's wall time is what is compared.
    static let job = "n = 0\nfor i in range(3_000_000):\n    n += i\nprint(n)\n"

    /// Spins in `2 × cores` processes (plus its own), says `ready` once they all run, then spins until killed.
    static let spinner = """
        import os, sys
        for _ in range(2 * os.cpu_count()):
            if os.fork() == 0:
                while True:
                    pass
        print('ready', flush=True)
        while True:
            pass
        """

    func jobWallTime() async throws -> Double {
        let result = try await runProgram("python", Self.job) { $0.wallTimeMs = 120_000 }
        #expect(result.verdict == .ok, "\(result.run?.stderrText ?? "")")
        return result.run?.wallTime ?? .infinity
    }

    @Test func aSpinningBoxDoesNotStarveItsNeighbour() async throws {
        var alones: [Double] = []
        for _ in 0..<3 { alones.append(try await jobWallTime()) }
        let alone = alones.sorted()[1]
        let profile = try Repo.profile("python")
        var e = Execution(profile: profile)
        e.files[profile.source] = Array(Self.spinner.utf8)
        e.limits.wallTimeMs = 120_000
        let box = try await Sandbox().launch(e, detachStdio: true)
        defer {
            BoxChannel.close(box.stdinWrite)
            BoxChannel.close(box.stdoutRead)
        }
        let ready = try await NetworkNamespaceTests.firstLine(box.stdoutRead)
        #expect(ready == "ready")
        var beside: [Double] = []
        for _ in 0..<3 { beside.append(try await jobWallTime()) }
        box.kill()
        _ = try await box.result()
        let median = beside.sorted()[1]
        print(
            "CPU fairness: job alone (median of 3) \(alone) s, beside a spinning box (median of 3) \(median) s, "
                + "ratio \(median / alone)")
        #expect(median <= 3 * alone, "alone \(alone) s, beside a spinner \(beside)")
    }

    /// The quota holds: a box spinning on every core gets at most its `cpu_millicores` of CPU time per second.
    @Test func aBoxGetsAtMostItsCores() async throws {
        let source = """
            import os, time
            for _ in range(os.cpu_count()):
                if os.fork() == 0:
                    end = time.monotonic() + 1.5
                    while time.monotonic() < end:
                        pass
                    os._exit(0)
            for _ in range(os.cpu_count()):
                os.wait()
            """
        let result = try await runProgram("python", source) { $0.cpuMillicores = 500 }
        let run = try #require(result.run)
        #expect(result.verdict == .ok, "\(run.stderrText)")
        // Half a core for ~1.5 s of wall time (and more only while the processes were starting).
        print("CPU quota 500 millicores: \(run.cpuTime) s CPU in \(run.wallTime) s wall")
        #expect(run.cpuTime <= 0.5 * run.wallTime + 0.2, "cpu \(run.cpuTime) s in \(run.wallTime) s wall")
    }
}
