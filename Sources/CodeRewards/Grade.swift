import Sandbox

/// The outcome of grading one solution: how many test units passed, and the verdict that explains a failure.
public struct Grade: Sendable, Hashable {
    public var passed: Int
    public var total: Int
    /// `.ok` when every unit passed; else the candidate's limit/crash verdict, or `.wrongAnswer`.
    public var verdict: Verdict
    /// The first failure, for humans.
    public var reason: String?
    /// Each test's outcome, when the grader reports them (Python kinds; the first 200).
    public var results: [TestResult]

    /// One test: its name (`line 3`, `case 0`, unittest's `tests.TestCases.test_x`, pytest's node id), whether it
    /// passed, and why not.
    public struct TestResult: Sendable, Hashable {
        public var name: String
        public var passed: Bool
        public var message: String?
        /// For `call` cases: accepted, wrong_answer (a different value), runtime_error (an exception, or the
        /// candidate gone) or time_limit (the case's limit); nil for kinds that do not report it.
        public var verdict: CaseVerdict?
        /// For `call` cases: wall-clock seconds of the call, as the grader measured it.
        public var time: Double?
        public init(
            name: String, passed: Bool, message: String? = nil, verdict: CaseVerdict? = nil,
            time: Double? = nil
        ) {
            self.name = name
            self.passed = passed
            self.message = message
            self.verdict = verdict
            self.time = time
        }
    }

    public init(passed: Int, total: Int, verdict: Verdict, reason: String? = nil, results: [TestResult] = []) {
        self.passed = passed
        self.total = total
        self.verdict = verdict
        self.reason = reason
        self.results = results
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
