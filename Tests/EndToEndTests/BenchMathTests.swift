import Foundation
import Testing

/// `reward bench math` end to end: the table counts every pair and its verdicts (times are not asserted).
@Suite struct BenchMathTests {
    @Test func tableCountsPairsAndVerdicts() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-bench-math-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("pairs.jsonl")
        // JSON text: `\\` is one backslash, `\n` a newline, inside the JSON strings.
        let lines = [
            "{\"answer\": \"#### 72\", \"completion\": \"So \\\\boxed{72}.\"}",
            "{\"answer\": \"\\\\frac{1}{2}\", \"completion\": \"The answer is $0.5$.\"}",
            "{\"answer\": \"3\", \"completion\": \"\\\\boxed{4}\"}",
            "{\"question\": \"q\", \"answer\": \"She sold 48/2 = 24 clips.\\n#### 72\"}",
            "{\"problem\": \"p\", \"answer\": \"\\\\frac{3}{56}\", \"solution\": \"Thus $p = \\\\boxed{\\\\frac{3}{56}}$.\"}",
            "{\"note\": \"no reference, no completion: skipped\"}",
        ]
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let out = try await Binary("reward").run(["bench", "math", "--input", file.path, "--repetitions", "2"])
        #expect(out.status == 0, "\(out.stderr)")
        let row = out.lines.first { $0.hasPrefix("| pairs.jsonl |") }
        #expect(row?.hasPrefix("| pairs.jsonl | 5 | 4 |") == true, "\(out.stdout)")
        let bad = try await Binary("reward").run(["bench", "math", "--repetitions", "0"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--repetitions must be 1...1000, got 0"), "\(bad.stderr)")
    }
}
