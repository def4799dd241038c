import RewardKit
import Sandbox

/// `reward run`'s output: one program's verdict, times, memory and output as JSON.
public enum RunReport {
    /// Runs `source` in `profile` (compile first when the profile compiles) and describes the outcome.
    /// A sandbox failure is reported as `{"verdict": "sandbox_error", "error": …}`, never as a program verdict.
    public static func run(
        source: String, profile: Profile, stdin: [UInt8]?, limits: Limits,
        sandbox: Sandbox
    ) async -> JSON {
        do {
            let result = try await sandbox.run(source: source, profile: profile, stdin: stdin, limits: limits)
            var fields: [(String, JSON)] = [
                ("language", .string(profile.language)),
                ("verdict", .string(result.verdict.name)),
            ]
            if let compile = result.compile { fields.append(("compile", json(compile))) }
            if let run = result.run { fields.append(("run", json(run))) }
            return .object(JSONObject(fields))
        } catch {
            return .object(
                JSONObject([
                    ("language", .string(profile.language)), ("verdict", "sandbox_error"),
                    ("error", .string("\(error)")),
                ]))
        }
    }

    /// One box's result.
    public static func json(_ r: RunResult) -> JSON {
        var fields: [(String, JSON)] = [("verdict", .string(r.verdict.name))]
        fields.append(("exit_code", r.exitCode.map { .int(Int64($0)) } ?? .null))
        fields.append(("signal", r.signal.map { .int(Int64($0)) } ?? .null))
        fields.append(("wall_time_s", .double(r.wallTime)))
        fields.append(("cpu_time_s", .double(r.cpuTime)))
        fields.append(("max_rss_bytes", .int(Int64(r.maxRSSBytes))))
        fields.append(("memory_peak_bytes", .int(Int64(r.memoryPeakBytes))))
        fields.append(("stdout", .string(r.stdoutText)))
        fields.append(("stdout_truncated", .bool(r.stdoutTruncated)))
        fields.append(("stderr", .string(r.stderrText)))
        fields.append(("stderr_truncated", .bool(r.stderrTruncated)))
        return .object(JSONObject(fields))
    }
}
