import Foundation
import RewardKit
import Testing

/// The README's examples, run as a new user would paste them.
@Suite struct ReadmeExampleTests {
    /// The fenced blocks of the README with info string `info`, in order.
    static func blocks(_ info: String) throws -> [String] {
        let text = try String(contentsOf: Binary.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var found: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line == "```\(info)" {
                current = []
            } else if current != nil, line == "```" {
                found.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return found
    }

    /// The example recipe scores plain-text samples (it once counted length in tokens, which plain text lacks).
    @Test func theExampleRecipeScoresPlainText() async throws {
        let recipe = try #require(try Self.blocks("json").first { $0.contains("\"reward\"") })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("readme-recipe-\(getpid()).json")
        try recipe.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let samples = """
            {"completion": "<think>\\n2 + 2 = 4\\n</think>\\n<answer>\\n4\\n</answer>", "answer": "4"}
            {"completion": "The answer is 5.", "answer": "4"}

            """
        let out = try await Binary("reward").run(["check", "--recipe", file.path], stdin: samples)
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        let rows = try out.lines.map { try JSONParser.parse($0).objectValue! }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["error"] == nil && $0["reward"]?.doubleValue != nil }, "\(rows)")
        #expect((rows[0]["reward"]?.doubleValue ?? 0) > (rows[1]["reward"]?.doubleValue ?? 0))
    }

    /// Each code-sample line of the README is a correct solution of its tests: every one scores 1.
    @Test func theCodeSampleLinesScoreOne() async throws {
        let lines = try #require(try Self.blocks("jsonl").first { $0.contains("\"tests\"") })
        let out = try await Binary("reward").run(["check", "--recipe", "code"], stdin: lines + "\n")
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        let rows = try out.lines.map { try JSONParser.parse($0).objectValue! }
        #expect(rows.count == lines.split(separator: "\n").count)
        for row in rows {
            #expect(row["reward"]?.doubleValue == 1, "\(row)")
        }
    }
}
