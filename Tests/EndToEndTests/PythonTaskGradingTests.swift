import Foundation
import GRPO
import RewardKit
import Testing

/// The generated Python-function tasks, graded by `reward check --recipe code` in the real sandbox: every
/// demonstration passes its own tests, and the same function with the constant off by one fails them, so a
/// policy is rewarded only for reading k from the prompt (and the flawed teacher's demonstration, k + 1, earns 0).
@Suite struct PythonTaskGradingTests {
    @Test func demonstrationsPassAndNeighbouringConstantsFail() async throws {
        let gen = try PythonFunctionTasks()
        let tasks =
            try gen.generate(count: 30, split: .train, seed: 11)
            + gen.generate(count: 10, split: .heldOut, seed: 12)
        var lines: [String] = []
        var expected: [Double] = []
        for t in tasks {
            let solution = try #require(t.solution)
            // The constant is the last number of the one-line body (for mod, k + 1 is written).
            let body = try #require(solution.split(separator: "\n").last)
            let number = try #require(body.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) })
            let plusOne = solution.replacingOccurrences(of: "\(number)", with: "\(number + 1)")
            #expect(t.flawedSolution == plusOne, "the flawed teacher's demonstration is the k + 1 one graded below")
            for (completion, reward) in [
                (solution, 1.0),
                (plusOne, 0.0),
                (solution.replacingOccurrences(of: "\(number)", with: "\(number - 1)"), 0.0),
            ] {
                var row = t.json.objectValue!
                row["completion"] = .string("```python\n\(completion)```")
                lines.append(JSON.object(row).jsonText)
                expected.append(reward)
            }
        }
        let out = try await Binary("reward").run(
            ["check", "--recipe", "code"], stdin: lines.joined(separator: "\n") + "\n",
            timeout: 600)
        #expect(out.status == 0, "\(out.stderr)")
        let rewards = try out.lines.map { try JSONParser.parse($0).objectValue?["reward"]?.doubleValue }
        #expect(rewards.count == expected.count)
        for (i, (r, e)) in zip(rewards, expected).enumerated() {
            #expect(r == e, "line \(i): \(lines[i]) scored \(String(describing: r)), expected \(e)")
        }
    }
}
