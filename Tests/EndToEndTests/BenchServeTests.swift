import Foundation
import Testing

/// `reward bench serve` end to end: its keep-alive socket clients get one checked answer per request from the real
/// server (times are not asserted, only counts and statuses).
@Suite struct BenchServeTests {
    /// The cells of the table row that starts with `kind` (empty when there is none).
    static func cells(_ out: Binary.Output, _ kind: String) -> [String] {
        let row = out.lines.first { $0.hasPrefix("| \(kind) |") } ?? ""
        return row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func everyRequestGetsOneCheckedAnswer() async throws {
        let out = try await Binary("reward").run(
            [
                "bench", "serve", "--requests", "60", "--mix", "80,0,20", "--batch", "8", "--workers", "2",
                "--concurrency", "8", "--seconds", "60",
            ], timeout: 120)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("60 requests in"), "\(out.stdout)")
        // Rows: | kind | requests | req/s | p50 | p99 | max | statuses | wrong or lost |
        let math = Self.cells(out, "math")
        let bad = Self.cells(out, "bad")
        try #require(math.count == 8 && bad.count == 8, "\(out.stdout)")
        // The mix sends math batches (every one 200 with its results checked) and malformed bodies (every one 400).
        #expect(Int(math[1])! + Int(bad[1])! == 60 && Int(bad[1])! >= 6, "\(out.stdout)")
        #expect(math[6] == "200: \(math[1])" && math[7] == "0", "\(out.stdout)")
        #expect(bad[6] == "400: \(bad[1])" && bad[7] == "0", "\(out.stdout)")
        #expect(
            out.lines.contains { $0.hasPrefix("lost responses: 0; wrong answers") && $0.hasSuffix(": 0") },
            "\(out.stdout)")
        #expect(out.lines.contains { $0.hasPrefix("CPU per request: server ") }, "\(out.stdout)")
        #expect(out.lines.contains("server exit on SIGTERM: status 0"), "\(out.stdout)")
    }

    /// `--verl`: verl's client behaviour against a real server and real boxes. Each program kind comes back with
    /// the verdict verl would give it: correct and slow programs scored correct, wrong and spinning ones not (the
    /// spinning ones hit their 10 s limit, so this takes that long at least).
    @Test func theVerlPatternScoresEveryProgramAsVerlWould() async throws {
        let out = try await Binary("reward").run(
            [
                "bench", "serve", "--verl", "--requests", "20", "--concurrency", "8", "--sandbox-slots", "8",
                "--timeout", "30",
            ], timeout: 300)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("20 /run_code requests in"), "\(out.stdout)")
        // Rows: | program | requests | scored correct | p50 s | max s | statuses |
        let rows = ["correct", "wrong", "slow", "timeout"].map { Self.cells(out, $0) }
        try #require(rows.allSatisfy { $0.count == 6 }, "every program kind is in the mix of 20:\n\(out.stdout)")
        #expect(rows.map { Int($0[1]) ?? 0 }.reduce(0, +) == 20, "\(out.stdout)")
        #expect(rows[0][2] == rows[0][1] && rows[2][2] == rows[2][1], "correct programs scored correct:\n\(out.stdout)")
        #expect(rows[1][2] == "0" && rows[3][2] == "0", "wrong and spinning programs scored wrong:\n\(out.stdout)")
        #expect(rows.allSatisfy { $0[5] == "200: \($0[1])" }, "every request answered 200:\n\(out.stdout)")
        #expect(out.lines.contains("wrong or timing-out samples scored correct: 0"), "\(out.stdout)")
    }
}
