import CodeRewards
import Foundation
import RewardKit
import Sandbox
import Testing

/// HumanEval's 164 problems through the sandboxed graders: every canonical solution passes, broken ones fail.
@Suite struct HumanEvalTests {
    @Test func canonicalSolutionsAllPass() async throws {
        let rows = try Fixtures.jsonl("humaneval.jsonl.gz")
        #expect(rows.count == 164)
        let samples = rows.map { Fixtures.sample($0, completion: $0["canonical_solution"]?.stringValue ?? "") }
        let reward = CodeReward(grader: try Fixtures.grader(), mode: .allPass, workers: 2)
        let scores = await reward.score(samples)
        let failed = zip(rows, scores).filter { $0.1.value != 1 }.map {
            "\($0.0["task_id"]?.stringValue ?? "?"): \($0.1.error ?? $0.1.reason ?? "")"
        }
        #expect(failed.isEmpty, "\(failed.count) canonical solutions failed: \(failed.prefix(10))")
    }

    @Test func wrongSolutionsFail() async throws {
        let rows = try Fixtures.jsonl("humaneval.jsonl.gz")
        // A body that returns a constant: plausible-looking, wrong for every problem.
        let samples = rows.map { Fixtures.sample($0, completion: "    return 0\n") }
        let scores = await CodeReward(grader: try Fixtures.grader(), workers: 2).score(samples)
        #expect(scores.allSatisfy { $0.error == nil }, "\(scores.compactMap(\.error).prefix(3))")
        let passed = zip(rows, scores).filter { $0.1.value == 1 }.map { $0.0["task_id"]?.stringValue ?? "?" }
        #expect(passed.isEmpty, "constant solutions passed: \(passed)")
    }
}
