import Foundation
import Testing

/// The load-time kernel choice of binaries that link the engine, seen from outside: `grpo bench kernel` under
/// a user's OPENBLAS_CORETYPE, under OpenBLAS's own choice, and under a simulated fallback.
@Suite("BLAS kernel restart")
struct BLASKernelRestartTests {
    static let restartNote = "restarting with OPENBLAS_CORETYPE="

    /// The kernel `grpo bench kernel` reports in use, and its "chosen by" line.
    static func report(_ out: Binary.Output) -> (kernel: String?, chosenBy: String?) {
        func value(_ key: String) -> String? {
            out.lines.first { $0.hasPrefix(key) }.map { $0.dropFirst(key.count).trimmingCharacters(in: .whitespaces) }
        }
        return (value("kernel in use"), value("chosen by"))
    }

    @Test func aUsersCoreTypeWins() async throws {
        let out = try await Binary("grpo").run(["bench", "kernel"], environment: ["OPENBLAS_CORETYPE": "Prescott"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(Self.report(out).kernel == "Prescott", "\(out.stdout)")
        #expect(Self.report(out).chosenBy == "OPENBLAS_CORETYPE=Prescott", "\(out.stdout)")
        #expect(!out.stderr.contains(Self.restartNote), "\(out.stderr)")
    }

    @Test func withoutAChoiceTheBestTierRuns() async throws {
        let grpo = try Binary("grpo")
        let list = try await grpo.run(["bench", "kernel", "--runnable"], environment: ["OPENBLAS_CORETYPE": nil])
        #expect(list.status == 0, "\(list.stderr)")
        let runnable = list.lines
        #expect(runnable.first == "Prescott", "\(list.stdout)")
        let out = try await grpo.run(["bench", "kernel"], environment: ["OPENBLAS_CORETYPE": nil])
        #expect(out.status == 0, "\(out.stderr)")
        let kernel = try #require(Self.report(out).kernel, "\(out.stdout)")
        // The best kernel (last of the list), or another of its tier that OpenBLAS picked by itself.
        let tierNames = ["Prescott": 1, "Sandybridge": 2, "Haswell": 3, "Zen": 3, "SkylakeX": 4, "Cooperlake": 4]
        let best = try #require(runnable.last)
        #expect((tierNames[kernel] ?? 0) >= (tierNames[best] ?? 0), "\(out.stdout)\n\(out.stderr)")
    }

    /// OpenBLAS falling back to Prescott, simulated by a preloaded `openblas_get_corename` that reports
    /// OPENBLAS_CORETYPE when set and "Prescott" otherwise (as OpenBLAS 0.3.21 does on an unknown CPU): the
    /// binary restarts once with the best kernel, says so once, and runs the command it was given.
    @Test func aFallbackRestartsOnceWithTheBestKernel() async throws {
        let grpo = try Binary("grpo")
        let best = try #require(
            try await grpo.run(["bench", "kernel", "--runnable"], environment: ["OPENBLAS_CORETYPE": nil]).lines.last)
        try #require(best != "Prescott", "this CPU runs only SSE kernels: no fallback to leave")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("fallback.c")
        try """
        #include <stdlib.h>
        char *openblas_get_corename(void) {
            const char *t = getenv("OPENBLAS_CORETYPE");
            return (char *)(t != NULL && *t != 0 ? t : "Prescott");
        }
        """.write(to: source, atomically: true, encoding: .utf8)
        let library = dir.appendingPathComponent("libfallback.so")
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        cc.arguments = ["cc", "-shared", "-fPIC", "-o", library.path, source.path]
        try cc.run()
        cc.waitUntilExit()
        try #require(cc.terminationStatus == 0, "cc could not build the simulated fallback")

        let out = try await grpo.run(
            ["bench", "kernel"], environment: ["OPENBLAS_CORETYPE": nil, "LD_PRELOAD": library.path])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(Self.report(out).kernel == best, "\(out.stdout)")
        #expect(Self.report(out).chosenBy == "Arbiter (restarted; OpenBLAS alone loaded Prescott)", "\(out.stdout)")
        let notes = out.stderr.components(separatedBy: "\n").filter { $0.contains(Self.restartNote) }
        #expect(
            notes == [
                "arbiter: OpenBLAS loaded its Prescott kernel on a CPU that runs \(best); "
                    + "restarting with OPENBLAS_CORETYPE=\(best) (set OPENBLAS_CORETYPE yourself to choose)."
            ], "\(out.stderr)")
        #expect(!out.stderr.contains("did not load"), "\(out.stderr)")
    }
}
