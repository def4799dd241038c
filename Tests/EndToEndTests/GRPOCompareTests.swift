import Foundation
import Testing

/// `grpo compare`: runs overlaid in one SVG, a table of first/last-window means, clear errors for bad folders.
@Suite struct GRPOCompareTests {
    func run(_ dir: URL, _ name: String, rewards: [Double]) throws -> String {
        let run = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let lines = rewards.enumerated().map {
            #"{"step":\#($0.offset + 1),"reward/mean":\#($0.element),"entropy":0.5}"#
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: run.appendingPathComponent("metrics.jsonl"))
        return run.path
    }

    @Test func overlaysRunsAndPrintsMeans() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try run(dir, "a", rewards: [0.1, 0.2, 0.3, 0.4])
        let b = try run(dir, "b", rewards: [0.0, 0.0, 0.5, 0.5])
        let svg = dir.appendingPathComponent("c.svg").path
        let out = try await Binary("grpo").run(
            ["compare", a, b, "--labels", "on,off", "--keys", "reward/mean,entropy", "--window", "2", "--out", svg])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("| on | 4 | 0.150 → 0.350 | 0.500 → 0.500 |"), "\(out.stdout)")
        #expect(out.stdout.contains("| off | 4 | 0.000 → 0.500 | 0.500 → 0.500 |"), "\(out.stdout)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.components(separatedBy: "<polyline").count == 5)  // 2 panels × 2 runs
        #expect(text.contains(">on</text>") && text.contains(">off</text>"))
    }

    @Test func badFoldersAndKeysAreNamed() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("compare-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try run(dir, "a", rewards: [0.1])
        let missing = try await Binary("grpo").run([
            "compare", a, "/nonexistent/run", "--out", dir.appendingPathComponent("x.svg").path,
        ])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent/run has no metrics.jsonl"), "\(missing.stderr)")
        let key = try await Binary("grpo").run([
            "compare", a, "--keys", "nope", "--out", dir.appendingPathComponent("x.svg").path,
        ])
        #expect(key.status != 0)
        #expect(key.stderr.contains("\"nope\""), "\(key.stderr)")
    }
}
