import Sandbox

/// The outcome of grading one solution: how many test units passed, and the verdict that explains a failure.
public struct Grade: Sendable, Hashable {
    public var passed: Int
    public var total: Int
    /// `.ok` when every unit passed; else the candidate's limit/crash verdict, or `.wrongAnswer`.
    public var verdict: Verdict
    /// The first failure, for humans.
    public var reason: String?

    public init(passed: Int, total: Int, verdict: Verdict, reason: String? = nil) {
        self.passed = passed
        self.total = total
        self.verdict = verdict
        self.reason = reason
    }

    public var allPassed: Bool { total > 0 && passed == total }
    public var fraction: Double { total > 0 ? Double(passed) / Double(total) : 0 }

    /// The verdict of a graded run: ok when all passed, the program's own failure if it had one, else wrong answer.
    static func verdict(allPassed: Bool, program: Verdict) -> Verdict {
        if allPassed { return .ok }
        if program != .ok { return program }
        return .wrongAnswer
    }
}
