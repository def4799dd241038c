import Foundation
import RewardKit
import Testing

/// `reward check` writes each result's grader identity; `--against` re-scores stored results and lists exactly the
/// lines where the stored and the current grader differ.
@Suite struct CheckAgainstTests {
    @Test func storedResultsAreReScoredAndDifferencesListed() async throws {
        let input =
            [
                #"{"id":"a","completion":"The answer is $\\boxed{4}$","answer":"4"}"#,
                #"{"id":"b","completion":"The answer is $\\boxed{5}$","answer":"4"}"#,
                #"{"id":"c","completion":"The answer is $\\boxed{7}$","answer":"7"}"#,
                #"{"id":"d","completion":"no answer here","answer":"2"}"#,
            ].joined(separator: "\n") + "\n"
        let first = try await Binary("reward").run(["check", "--recipe", "math", "--quiet"], stdin: input)
        #expect(first.status == 0, "\(first.stderr)")
        var stored = try first.lines.map { try #require(try JSONParser.parse($0).objectValue) }
        try #require(stored.count == 4)
        let grader = try #require(stored[0]["grader"]?.objectValue)
        #expect(grader["recipe"] == "math" && grader["arbiter"]?.stringValue?.isEmpty == false)
        #expect(grader["recipe_sha256"]?.stringValue?.count == 64)

        // Unchanged results: nothing differs, exit 0.
        let same = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-same-\(UUID()).jsonl")
        try (first.stdout).write(to: same, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: same) }
        let agree = try await Binary("reward").run(["check", "--against", same.path])
        #expect(agree.status == 0 && agree.stdout.isEmpty, "\(agree.stdout)\(agree.stderr)")
        #expect(agree.stderr.contains("4 results re-scored, 4 agree, 0 differ"), "\(agree.stderr)")

        // As if an older grader had scored b right and c wrong, and under another identity.
        stored[1]["reward"] = 1
        stored[2]["reward"] = 0
        stored[2]["grader"] = ["arbiter": "0.0.1", "recipe": "math", "recipe_sha256": "00"]
        let old = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-old-\(UUID()).jsonl")
        try stored.map { JSON.object($0).jsonText }.joined(separator: "\n").appending("\n")
            .write(to: old, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: old) }
        let differ = try await Binary("reward").run(["check", "--against", old.path])
        #expect(differ.status == 1)
        let lines = try differ.lines.map { try #require(try JSONParser.parse($0).objectValue) }
        try #require(lines.map { $0["id"] } == ["b", "c"], "\(differ.stdout)")
        #expect(lines[0]["old"]?.objectValue?["reward"]?.doubleValue == 1)
        #expect(lines[0]["new"]?.objectValue?["reward"]?.doubleValue == 0)
        #expect(lines[1]["new"]?.objectValue?["reward"]?.doubleValue == 1)
        #expect(lines[1]["old"]?.objectValue?["grader"]?.objectValue?["arbiter"] == "0.0.1")
        #expect(differ.stderr.contains("4 results re-scored, 2 agree, 2 differ (1 higher, 1 lower"), "\(differ.stderr)")
        #expect(differ.stderr.contains("old grader: arbiter 0.0.1, recipe math"), "\(differ.stderr)")
    }
}
