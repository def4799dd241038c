import Foundation
import Sandbox

/// `/run_code` over the real sandbox: compile (in its own box and limits) then run, as SandboxFusion does.
///
/// Mapping to SandboxFusion's statuses, reported honestly: `Success` only when every step exited 0; a non-zero
/// exit, a signal, a memory or output limit or a blocked syscall is `Failed` with the run `Finished` and its
/// return code (a signal `n` as `-n`, as Python's subprocess reports it); a time limit is `TimeLimitExceeded`;
/// a failure of the sandbox itself is `SandboxError`, never a program outcome. `message` names our verdict.
/// A program can forge its exit code (`sys.exit(0)`): graders must use `/v1/score`'s code recipes instead.
public struct SandboxExecutor: CodeExecutor {
    public let profiles: Profiles
    public let sandbox: Sandbox

    public init(profiles: Profiles, sandbox: Sandbox = Sandbox()) {
        self.profiles = profiles
        self.sandbox = sandbox
    }

    public var languages: [String] {
        var names = profiles.all.flatMap { [$0.language, $0.name] + $0.aliases }
        if names.contains("javascript") { names.append("nodejs") }  // SandboxFusion's name for node
        return Array(Set(names)).sorted()
    }

    public func run(_ request: RunCodeRequest) async -> RunCodeResponse {
        let language = request.language == "nodejs" ? "javascript" : request.language
        do {
            let profile = try profiles.profile(for: language)
            var files: [String: [UInt8]] = [:]
            for (path, b64) in request.files {
                guard let data = Data(base64Encoded: b64) else {
                    return Self.failure(.sandboxError, "file \(path) is not valid base64", verdict: "bad_request")
                }
                files[path] = Array(data)
            }
            var compileProfile = profile
            compileProfile.compileLimits.wallTimeMs = UInt64(request.compileTimeout * 1000)
            let program = try await sandbox.prepare(source: request.code, profile: compileProfile, files: files)
            let compile = program.compile.map { Self.command($0) }
            guard program.runnable else {
                let verdict = program.compile?.verdict ?? .runtimeError(exitCode: -1)
                return RunCodeResponse(status: .failed, message: "compilation failed: \(verdict)", compileResult: compile,
                                       runResult: nil, verdict: "compile_\(verdict.name)")
            }
            var execution = Execution(profile: profile)
            execution.files = program.files
            execution.executables = program.executables
            execution.stdin = request.stdin.map { .bytes(Array($0.utf8)) } ?? .null
            execution.limits.wallTimeMs = UInt64(request.runTimeout * 1000)
            execution.limits.cpuTimeS = UInt64(request.runTimeout.rounded(.up))
            if request.memoryLimitMB > 0 { execution.limits.memoryBytes = UInt64(request.memoryLimitMB) << 20 }
            execution.collect = request.fetchFiles
            let run = try await sandbox.run(execution)
            var out: [String: String] = [:]
            for path in request.fetchFiles { if let bytes = run.files[path] { out[path] = Data(bytes).base64EncodedString() } }
            return RunCodeResponse(status: run.verdict == .ok ? .success : .failed, message: run.verdict == .ok ? "" : "\(run.verdict)",
                                   compileResult: compile, runResult: Self.command(run), files: out, verdict: run.verdict.name)
        } catch {
            return Self.failure(.sandboxError, "\(error)", verdict: "sandbox_error")
        }
    }

    static func failure(_ status: RunCodeResponse.Status, _ message: String, verdict: String) -> RunCodeResponse {
        RunCodeResponse(status: status, message: message, compileResult: nil, runResult: nil, verdict: verdict)
    }

    static func command(_ r: RunResult) -> RunCodeResponse.CommandResult {
        let status: RunCodeResponse.CommandResult.Status = r.verdict == .timeLimit ? .timeLimitExceeded : .finished
        var code: Int? = r.exitCode.map(Int.init)
        if code == nil, let s = r.signal { code = -Int(s) }
        return .init(status: status, executionTime: r.wallTime, returnCode: status == .finished ? code : nil,
                     stdout: r.stdoutText, stderr: r.stderrText)
    }
}
