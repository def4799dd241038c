import Synchronization

/// Every box run this process finished, counted by verdict name (`Verdict.name`, or `sandbox_error` when the
/// supervision failed): what `reward serve` exports as `arbiter_sandbox_runs_total`, whichever route or grader
/// started the box (`/run_code`, `/v1/run_tests`, the code recipes of `/v1/score`, a checker, a compile step).
public enum SandboxRuns {
    private static let counts = Mutex<[String: Int]>([:])

    static func record(_ verdict: String) { counts.withLock { $0[verdict, default: 0] += 1 } }

    /// The counts so far.
    public static var snapshot: [String: Int] { counts.withLock { $0 } }
}
