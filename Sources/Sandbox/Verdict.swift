/// What happened to a program in the box. A closed set; failures of the sandbox itself are `SandboxError`, never a
/// verdict (isolate's `XX` versus `RE`/`SG`/`TO`).
public enum Verdict: Sendable, Hashable, CustomStringConvertible {
    /// Exited with status 0 (for a grader: the answer was accepted).
    case ok
    /// Ran to the end but a grader rejected its answer.
    case wrongAnswer
    /// Exited with a non-zero status.
    case runtimeError(exitCode: Int32)
    /// Killed by a signal other than the limits below.
    case signaled(Int32)
    /// Wall-clock or CPU limit reached.
    case timeLimit
    /// The memory cgroup's OOM killer fired, or the runtime reported an allocation failure.
    case memoryLimit
    /// Standard output or a file went past its size limit.
    case outputLimit
    /// A syscall outside the allow-list (or of a non-native ABI) killed the program.
    case blockedSyscall

    /// Stable snake_case name used in JSON output.
    public var name: String {
        switch self {
        case .ok: "ok"
        case .wrongAnswer: "wrong_answer"
        case .runtimeError: "runtime_error"
        case .signaled: "signaled"
        case .timeLimit: "time_limit"
        case .memoryLimit: "memory_limit"
        case .outputLimit: "output_limit"
        case .blockedSyscall: "blocked_syscall"
        }
    }

    public var description: String {
        switch self {
        case .runtimeError(let code): "runtime_error(\(code))"
        case .signaled(let signal): "signaled(\(signal))"
        default: name
        }
    }
}
