import CSandbox
import Foundation

/// One started box (namespaces and file system ready, program not yet running). Used by one thread at a time;
/// `destroy` always runs (kills the tree, reaps it, releases the cgroup).
final class Box: @unchecked Sendable {
    private var pointer: OpaquePointer?
    /// The execution this box serves (a pooled box gets it when taken).
    var execution: Execution

    /// Builds the C config and starts the box. `stdout`/`stderr` descriptors of -1 are captured pipes.
    init(_ execution: Execution, options: Sandbox.Options, stdinFD: Int32, stdoutFD: Int32 = -1) throws {
        self.execution = execution
        _ = InitHelper.installed
        let filter = try SeccompFilter.filter(for: execution.filterProfile)
        guard let config = csb_config_new() else {
            throw SandboxError(.setup, step: "csb_config_new", detail: "out of memory")
        }
        defer { csb_config_free(config) }
        guard let executable = execution.command.first, executable.hasPrefix("/") else {
            throw SandboxError(
                .invalidArgument, step: "command",
                detail: "the executable must be an absolute path inside the box, got \(execution.command)")
        }
        csb_config_set_executable(config, executable)
        let zygote = execution.zygote.flatMap { name in InitHelper.server(named: name).map { (name, $0) } }
        if let zygote { csb_config_set_server(config, zygote.1) }
        for arg in execution.command { csb_config_add_arg(config, execution.expand(arg)) }
        for entry in execution.environment { csb_config_add_env(config, execution.expand(entry)) }
        for mount in execution.mounts {
            let flags = mount.optional ? Int32(CSB_MOUNT_OPTIONAL.rawValue) : 0
            csb_config_add_mount(config, mount.path, mount.target ?? mount.path, flags)
        }
        let l = execution.limits
        csb_config_set_tmpfs(config, l.workBytes, l.tmpBytes, l.shmBytes)
        csb_config_set_rlimits(
            config, l.cpuTimeS, l.addressSpaceBytes, l.fileSizeBytes, l.openFiles, l.processes,
            l.stackBytes)
        csb_config_set_cgroup(config, l.memoryBytes, l.processes)
        csb_config_set_cpu(config, l.cpuMillicores)
        csb_config_set_filter(config, filter.pointer)
        var flags: UInt32 = 0
        if options.allowWeakerIsolation { flags |= CSB_ALLOW_NO_CGROUP.rawValue }
        if !execution.mountProc { flags |= CSB_NO_PROC.rawValue }
        csb_config_set_options(config, flags)
        csb_config_set_stdio(config, stdinFD, stdoutFD, -1)
        var error = csb_error()
        var box: OpaquePointer?
        if csb_box_start(config, &box, &error) != 0 {
            let failure = SandboxError(error, kind: .setup)
            // A zygote that ends before answering (it cannot start: libpython missing, say) is dropped for good,
            // and the box is started by the default server, its interpreter exec'd.
            guard let zygote, failure.step == "arbiter-box-init", failure.errno == EPIPE else { throw failure }
            InitHelper.serverFailed(named: zygote.0, failure.description)
            csb_config_set_server(config, nil)
            error = csb_error()
            if csb_box_start(config, &box, &error) != 0 { throw SandboxError(error, kind: .setup) }
        }
        pointer = box
        withExtendedLifetime(filter) {}
        self.filter = filter
    }

    /// Kept alive as long as the box: the child holds a pointer to its BPF code.
    private var filter: SeccompFilter?

    /// Kills the tree (from another thread, while `run` is going on).
    func kill() {
        if let pointer { csb_box_kill(pointer) }
    }

    /// Moves the deadline of a running `run` (from another thread).
    func setDeadline(_ wallTimeMs: UInt64) {
        if let pointer { csb_box_set_deadline(pointer, wallTimeMs) }
    }

    /// Takes the supervisor ends of the managed stdin (write) and stdout (read) pipes; the caller closes them.
    func detachStdio() -> (Int32, Int32) {
        var input: Int32 = -1
        var output: Int32 = -1
        csb_box_detach_stdio(pointer, &input, &output)
        return (input, output)
    }

    func write(_ path: String, _ bytes: [UInt8], executable: Bool) throws {
        var error = csb_error()
        let rc = bytes.withUnsafeBytes { raw in
            csb_box_write_file(pointer, path, raw.baseAddress, raw.count, executable ? 0o755 : 0o644, &error)
        }
        if rc != 0 { throw SandboxError(error, kind: error.err == EINVAL ? .invalidArgument : .setup) }
    }

    func read(_ path: String, limit: Int) throws -> [UInt8] {
        var error = csb_error()
        var data: UnsafeMutablePointer<UInt8>?
        var length = 0
        if csb_box_read_file(pointer, path, limit, &data, &length, &error) != 0 {
            throw SandboxError(error, kind: .invalidArgument)
        }
        defer { free(data) }
        return data.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
    }

    /// Runs the program to its end (blocking) and classifies the outcome.
    func run(stdin: [UInt8]?) throws -> RunResult {
        let l = execution.limits
        var outcome = csb_outcome()
        var error = csb_error()
        let rc: Int32 = (stdin ?? []).withUnsafeBytes { raw in
            var params = csb_run_params(
                stdin_data: raw.baseAddress, stdin_len: raw.count, wall_ms: l.wallTimeMs,
                stdout_cap: l.stdoutBytes, stderr_cap: l.stderrBytes)
            return csb_box_run(pointer, &params, &outcome, &error)
        }
        if rc != 0 {
            SandboxRuns.record("sandbox_error")
            throw SandboxError(error, kind: .supervision)
        }
        defer { csb_outcome_free(&outcome) }
        if outcome.exec_failed != 0 {
            SandboxRuns.record("sandbox_error")
            throw SandboxError(outcome.setup_error, kind: .setup)
        }
        let stdout = outcome.out.map { Array(UnsafeBufferPointer(start: $0, count: outcome.out_len)) } ?? []
        let stderr = outcome.errbuf.map { Array(UnsafeBufferPointer(start: $0, count: outcome.err_len)) } ?? []
        var files: [String: [UInt8]] = [:]
        for path in execution.collect {
            if let bytes = try? read(path, limit: execution.collectLimit) { files[path] = bytes }
        }
        let cpu = Double(outcome.user_us + outcome.sys_us) / 1e6
        let verdict = Box.classify(outcome, cpuTime: cpu, limits: l, stderr: stderr)
        SandboxRuns.record(verdict.name)
        return RunResult(
            verdict: verdict,
            exitCode: outcome.exited != 0 ? outcome.exit_code : nil,
            signal: outcome.signaled != 0 ? outcome.signal : nil,
            stdout: stdout, stderr: stderr,
            stdoutTruncated: outcome.output_exceeded != 0, stderrTruncated: outcome.stderr_truncated != 0,
            wallTime: Double(outcome.wall_us) / 1e6, cpuTime: cpu,
            maxRSSBytes: outcome.max_rss_kb * 1024, memoryPeakBytes: outcome.memory_peak, files: files)
    }

    /// Messages runtimes print when an allocation fails under RLIMIT_AS (the cgroup's OOM kill is the other way).
    /// (Java's OutOfMemoryError, Rust's "memory allocation of N bytes failed"; Go says "out of memory".)
    static let allocationFailures = [
        "MemoryError", "std::bad_alloc", "JavaScript heap out of memory",
        "Cannot allocate memory", "out of memory", "java.lang.OutOfMemoryError",
        "memory allocation of",
    ]

    /// Errors of a program whose file writes hit RLIMIT_FSIZE or a full tmpfs (Python ignores SIGXFSZ).
    static let fileLimitFailures = ["File too large", "No space left on device"]

    /// The verdict, most specific cause first: output > time > memory > syscall > signal > exit status.
    static func classify(_ o: csb_outcome, cpuTime: Double, limits: Limits, stderr: [UInt8]) -> Verdict {
        if o.output_exceeded != 0 { return .outputLimit }
        if o.timed_out != 0 { return .timeLimit }
        if o.oom_killed != 0 { return .memoryLimit }
        if o.signaled != 0 {
            switch o.signal {
            case SIGSYS: return .blockedSyscall
            case SIGXCPU: return .timeLimit
            case SIGXFSZ: return .outputLimit
            case SIGKILL where limits.cpuTimeS > 0 && cpuTime >= Double(limits.cpuTimeS): return .timeLimit
            default: break
            }
        }
        if o.signaled != 0 || (o.exited != 0 && o.exit_code != 0) {
            let tail = String(decoding: stderr.suffix(2048), as: UTF8.self)
            if allocationFailures.contains(where: { tail.contains($0) }) { return .memoryLimit }
            if fileLimitFailures.contains(where: { tail.contains($0) }) { return .outputLimit }
            return o.signaled != 0 ? .signaled(o.signal) : .runtimeError(exitCode: o.exit_code)
        }
        return .ok
    }

    func destroy() {
        if let pointer { csb_box_destroy(pointer) }
        pointer = nil
    }

    deinit { destroy() }
}
