import Sandbox

/// The verdict of one case of a whole-program (stdio) test.
public enum CaseVerdict: String, Sendable, Hashable {
    case accepted
    case wrongAnswer = "wrong_answer"
    case timeLimit = "time_limit"
    case memoryLimit = "memory_limit"
    /// A non-zero exit, a signal or a blocked syscall.
    case runtimeError = "runtime_error"
    case outputLimit = "output_limit"

    /// The case verdict of a run that did not end with exit 0 (nil when it did: then the checker decides).
    public init?(_ verdict: Verdict) {
        switch verdict {
        case .ok: return nil
        case .wrongAnswer: self = .wrongAnswer
        case .timeLimit: self = .timeLimit
        case .memoryLimit: self = .memoryLimit
        case .outputLimit: self = .outputLimit
        case .runtimeError, .signaled, .blockedSyscall: self = .runtimeError
        }
    }

    /// The sandbox verdict a failing case contributes to a `Grade`.
    public var sandboxVerdict: Verdict {
        switch self {
        case .accepted: .ok
        case .wrongAnswer: .wrongAnswer
        case .timeLimit: .timeLimit
        case .memoryLimit: .memoryLimit
        case .outputLimit: .outputLimit
        case .runtimeError: .runtimeError(exitCode: 1)
        }
    }
}

/// One case's outcome.
public struct CaseResult: Sendable {
    public var verdict: CaseVerdict
    /// The box's own verdict (a runtime error's exit code or signal, a blocked syscall).
    public var run: Verdict
    /// Wall-clock seconds of the run.
    public var time: Double
    /// CPU seconds of the run's process tree.
    public var cpuTime: Double
    /// Peak memory of the run (cgroup high-water mark, else the largest resident set), bytes.
    public var memoryBytes: UInt64
    /// The first `StdioRunner.headBytes` of standard output and the last of standard error.
    public var stdoutHead: String
    public var stderrTail: String
    /// Why it failed (the checker's words, the first differing expectation), nil when accepted.
    public var message: String?

    public init(
        verdict: CaseVerdict, run: Verdict, time: Double, cpuTime: Double, memoryBytes: UInt64,
        stdoutHead: String, stderrTail: String, message: String?
    ) {
        self.verdict = verdict
        self.run = run
        self.time = time
        self.cpuTime = cpuTime
        self.memoryBytes = memoryBytes
        self.stdoutHead = stdoutHead
        self.stderrTail = stderrTail
        self.message = message
    }
}

/// A program run over many stdio cases: the compile step once, then every case in a fresh box.
public struct StdioReport: Sendable {
    /// The compile step (nil for interpreted languages).
    public var compile: RunResult?
    /// False when the compile step failed (then `results` is empty).
    public var compiled: Bool
    /// One per case in order; with `stopOnFirstFailure`, none after the first failure.
    public var results: [CaseResult]
    public var total: Int

    public var passed: Int { results.filter { $0.verdict == .accepted }.count }

    /// The report as a `Grade` (the first failure's verdict and reason).
    public var grade: Grade {
        guard compiled else {
            let why = compile.map { "compile: \($0.verdict) \(String($0.stderrText.prefix(300)))" }
            return Grade(passed: 0, total: total, verdict: compile?.verdict ?? .runtimeError(exitCode: 1), reason: why)
        }
        guard let (i, first) = results.enumerated().first(where: { $0.element.verdict != .accepted }) else {
            return Grade(passed: passed, total: total, verdict: passed == total ? .ok : .wrongAnswer)
        }
        let verdict = first.verdict == .runtimeError ? first.run : first.verdict.sandboxVerdict
        return Grade(
            passed: passed, total: total, verdict: verdict,
            reason: "case \(i): \(first.verdict.rawValue)" + (first.message.map { ": \($0)" } ?? ""))
    }
}
