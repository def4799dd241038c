import CodeRewards
import Foundation
import Sandbox

/// `/run_code` over the real sandbox: compile (in its own box and limits) then run, as SandboxFusion does.
///
/// Mapping to SandboxFusion's statuses, reported honestly: `Success` only when every step exited 0; a non-zero
/// exit, a signal, a memory or output limit or a blocked syscall is `Failed` with the run `Finished` and its
/// return code (a signal `n` as `-n`, as Python's subprocess reports it); a time limit is `TimeLimitExceeded`;
/// a failure of the sandbox itself is `SandboxError`, never a program outcome nor a client's mistake (those are
/// refused by `validate` with 400/422). `message` names our verdict.
/// Limits follow SandboxFusion: `memory_limit_MB` sets the box's memory (−1 or 0: the profile's `memory_max_mib`)
/// and, when positive, the stack limit with it (SandboxFusion sets RLIMIT_STACK to it); `run_timeout` sets the
/// wall-clock and CPU limits. A program can forge its exit code (`sys.exit(0)`): graders must use `/v1/score`'s
/// code recipes or `/v1/run_tests` instead.
public struct SandboxExecutor: CodeExecutor {
    public let profiles: Profiles
    public let sandbox: Sandbox
    /// The trusted grader of call-style `/v1/run_tests` cases.
    let grader: CodeGrader

    public init(profiles: Profiles, sandbox: Sandbox = Sandbox()) {
        self.profiles = profiles
        self.sandbox = sandbox
        self.grader = CodeGrader(profiles: profiles, sandbox: sandbox)
    }

    public var languages: [String] {
        var names = profiles.all.flatMap { [$0.language, $0.name] + $0.aliases }
        if names.contains("javascript") { names.append("nodejs") }  // SandboxFusion's name for node
        return Array(Set(names)).sorted()
    }

    /// The profile for a request's `language` (SandboxFusion's `nodejs` is our `javascript`), or 422.
    public func profile(for language: String) throws(ServiceError) -> Profile {
        let name = language == "nodejs" ? "javascript" : language
        guard let p = profiles.all.first(where: { $0.matches(language: name) }) else {
            throw ServiceError(
                .unprocessableContent,
                "field \"language\": unknown language \"\(language)\"; "
                    + "supported: \(languages.joined(separator: ", "))")
        }
        return p
    }

    public func validate(_ request: RunCodeRequest) throws(ServiceError) {
        _ = try limits(for: request, profile: try profile(for: request.language))
    }

    /// The run and compile limits of `request` in `profile`, or 400 naming the field beyond the profile's maximum.
    func limits(for request: RunCodeRequest, profile: Profile) throws(ServiceError) -> (run: Limits, compile: Limits) {
        var run = profile.limits
        var compile = profile.compileLimits
        if let t = request.runTimeout {
            run.wallTimeMs = UInt64((t * 1000).rounded(.up))
            run.cpuTimeS = UInt64(t.rounded(.up))
        }
        if let t = request.compileTimeout { compile.wallTimeMs = UInt64((t * 1000).rounded(.up)) }
        let max = profile.memoryMaxBytes
        let asked = request.memoryLimitMB > 0 ? UInt64(request.memoryLimitMB) << 20 : max
        guard asked <= max else {
            throw .badRequest(
                "field \"memory_limit_MB\": \(request.memoryLimitMB) is above the \(profile.name) "
                    + "profile's maximum of \(max >> 20) MB (-1 or 0 asks for the maximum)")
        }
        run.memoryBytes = asked
        // SandboxFusion sets RLIMIT_STACK to an explicit memory limit and leaves it alone for -1.
        if request.memoryLimitMB > 0 { run.stackBytes = Swift.max(run.stackBytes, asked) }
        if run.addressSpaceBytes != 0 { run.addressSpaceBytes = Swift.max(run.addressSpaceBytes, asked) }
        return (run, compile)
    }

    public func run(_ request: RunCodeRequest) async -> RunCodeResponse {
        do {
            let profile = try profile(for: request.language)
            let (limits, compileLimits) = try self.limits(for: request, profile: profile)
            var compileProfile = profile
            compileProfile.compileLimits = compileLimits
            let program = try await sandbox.prepare(source: request.code, profile: compileProfile, files: request.files)
            let compile = program.compile.map { Self.command($0) }
            guard program.runnable else {
                let verdict = program.compile?.verdict ?? .runtimeError(exitCode: -1)
                return RunCodeResponse(
                    status: .failed, message: "compilation failed: \(verdict)", compileResult: compile,
                    runResult: nil, verdict: "compile_\(verdict.name)")
            }
            var execution = Execution(profile: profile, limits: limits)
            execution.files = program.files
            execution.executables = program.executables
            execution.stdin = request.stdin.map { .bytes(Array($0.utf8)) } ?? .null
            execution.collect = Array(Set(request.fetchFiles.values))
            let run = try await sandbox.run(execution)
            var out: [String: String] = [:]
            for (name, path) in request.fetchFiles {
                if let bytes = run.files[path] { out[name] = Data(bytes).base64EncodedString() }
            }
            return RunCodeResponse(
                status: run.verdict == .ok ? .success : .failed, message: run.verdict == .ok ? "" : "\(run.verdict)",
                compileResult: compile, runResult: Self.command(run), files: out, verdict: run.verdict.name)
        } catch let error as ServiceError {
            // `validate` refused it before the admission; reaching here means a caller skipped `validate`.
            return Self.failure(.sandboxError, error.message, verdict: "bad_request")
        } catch {
            return Self.failure(.sandboxError, "\(error)", verdict: "sandbox_error")
        }
    }

    public func runTests(_ request: RunTestsRequest) async throws(ServiceError) -> RunTestsResponse {
        let program = request.program
        let profile = try profile(for: program.language)
        let (limits, compileLimits) = try self.limits(for: program, profile: profile)
        if let calls = request.calls {
            return try await runCalls(
                request, function: calls.function, cases: calls.cases, profile: profile,
                limits: limits)
        }
        var compileProfile = profile
        compileProfile.compileLimits = compileLimits
        let report: StdioReport
        do {
            report = try await StdioRunner(sandbox: sandbox, profiles: profiles).run(
                source: program.code, profile: compileProfile, files: program.files, cases: request.cases,
                checker: request.checker, limits: limits, stopOnFirstFailure: request.stopOnFirstFailure)
        } catch let e as CodeRewardsError {
            throw ServiceError(.unprocessableContent, e.message)
        } catch {
            throw ServiceError(.internalServerError, "the sandbox failed: \(error)")
        }
        return RunTestsResponse(
            compileResult: report.compile.map(Self.command), compiled: report.compiled,
            results: report.results, total: report.total)
    }

    static func failure(_ status: RunCodeResponse.Status, _ message: String, verdict: String) -> RunCodeResponse {
        RunCodeResponse(status: status, message: message, compileResult: nil, runResult: nil, verdict: verdict)
    }

    static func command(_ r: RunResult) -> RunCodeResponse.CommandResult {
        let status: RunCodeResponse.CommandResult.Status = r.verdict == .timeLimit ? .timeLimitExceeded : .finished
        var code: Int? = r.exitCode.map(Int.init)
        if code == nil, let s = r.signal { code = -Int(s) }
        return .init(
            status: status, executionTime: r.wallTime, returnCode: status == .finished ? code : nil,
            stdout: r.stdoutText, stderr: r.stderrText)
    }
}
