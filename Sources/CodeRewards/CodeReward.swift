import Foundation
import RewardKit
import Sandbox

/// Reward for code samples: 1 when every test passes (`allPass`), or the fraction of tests passed. A sample that
/// cannot be graded (no tests, sandbox failure) gets `Score.failure`, never a zero that looks like a wrong answer.
public struct CodeReward: Reward {
    public enum Mode: String, Sendable {
        case allPass = "all"
        case fraction
    }

    public var grader: CodeGrader
    public var mode: Mode
    /// Samples graded at once (each uses one or two boxes).
    public var workers: Int

    public init(
        grader: CodeGrader, mode: Mode = .allPass,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.grader = grader
        self.mode = mode
        self.workers = max(1, workers)
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        let grader = self.grader
        let mode = self.mode
        return await withTaskGroup(of: (Int, Score).self) { group in
            var results = [Score?](repeating: nil, count: batch.count)
            var next = 0
            func add() {
                let i = next
                next += 1
                group.addTask { (i, await CodeReward.score(batch[i], grader: grader, mode: mode)) }
            }
            while next < min(workers, batch.count) { add() }
            for await (i, score) in group {
                results[i] = score
                if next < batch.count { add() }
            }
            return results.map { $0! }
        }
    }

    static func score(_ sample: Sample, grader: CodeGrader, mode: Mode) async -> Score {
        do {
            let grade = try await grader.grade(sample)
            let value = mode == .allPass ? (grade.allPassed ? 1 : 0) : grade.fraction
            var reason = "\(grade.verdict): \(grade.passed)/\(grade.total) passed"
            if let why = grade.reason { reason += "; \(why)" }
            return Score(
                value, components: ["passed": Double(grade.passed), "total": Double(grade.total)],
                reason: reason)
        } catch {
            return .failure("\(error)")
        }
    }
}
