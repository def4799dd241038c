import RewardKit

/// Runs one program for `/run_code` (SandboxFusion's request and response shapes).
///
/// Implemented over the sandbox by CodeRewards; a protocol here so that the HTTP layer is tested without one.
public protocol CodeExecutor: Sendable {
    /// Languages accepted (`python`, `cpp`, …); others get 422.
    var languages: [String] { get }
    /// Refuses a request with a client mistake this executor can see before running it (an unknown language:
    /// 422; a limit beyond the profile's: 400), naming the field and value. The default checks the language.
    func validate(_ request: RunCodeRequest) throws(ServiceError)
    func run(_ request: RunCodeRequest) async -> RunCodeResponse
    /// `/v1/run_tests`: compiles once, runs every case. Throws a `ServiceError` naming the field for the client's
    /// mistakes (a checker that does not compile, crashes or hangs: 422) and 500 when the sandbox fails.
    func runTests(_ request: RunTestsRequest) async throws(ServiceError) -> RunTestsResponse
}

extension CodeExecutor {
    public func runTests(_ request: RunTestsRequest) async throws(ServiceError) -> RunTestsResponse {
        throw ServiceError(.notImplemented, "this service's executor does not run tests")
    }

    public func validate(_ request: RunCodeRequest) throws(ServiceError) {
        guard languages.contains(request.language) else {
            throw ServiceError(
                .unprocessableContent,
                "field \"language\": unknown language \"\(request.language)\"; "
                    + "supported: \(languages.joined(separator: ", "))")
        }
    }
}

/// SandboxFusion's `RunCodeRequest`: `code`, `language`, `compile_timeout` and `run_timeout` (seconds),
/// `memory_limit_MB`, `stdin`, `files` (path → base64 content), `fetch_files`.
public struct RunCodeRequest: Sendable, Equatable {
    public var code: String
    public var language: String
    /// Seconds; nil (absent or 0) = the profile's compile wall-clock limit.
    public var compileTimeout: Double?
    /// Seconds; nil (absent or 0) = the profile's run wall-clock limit.
    public var runTimeout: Double?
    /// MiB; -1 or 0 = the profile's maximum (`memory_max_mib`), as SandboxFusion's "no limit".
    public var memoryLimitMB: Int = -1
    public var stdin: String?
    /// Files written to the work directory before compiling: path relative to `/work` → content.
    public var files: [String: [UInt8]] = [:]
    /// Files read back after the run: the name as the client gave it → path relative to `/work`.
    public var fetchFiles: [String: String] = [:]

    public init(code: String, language: String) {
        self.code = code
        self.language = language
    }
}

/// SandboxFusion's `RunCodeResponse`: `status` Success | Failed | SandboxError, `message`, `compile_result`,
/// `run_result`, `files` (path → base64).
public struct RunCodeResponse: Sendable, Equatable {
    public enum Status: String, Sendable {
        case success = "Success"
        case failed = "Failed"
        case sandboxError = "SandboxError"
    }

    /// One command's outcome: `status` Finished | Error | TimeLimitExceeded, `execution_time` (s),
    /// `return_code`, `stdout`, `stderr`.
    public struct CommandResult: Sendable, Equatable {
        public enum Status: String, Sendable {
            case finished = "Finished"
            case error = "Error"
            case timeLimitExceeded = "TimeLimitExceeded"
        }
        public var status: Status
        public var executionTime: Double?
        public var returnCode: Int?
        public var stdout: String
        public var stderr: String
        public init(status: Status, executionTime: Double?, returnCode: Int?, stdout: String, stderr: String) {
            self.status = status
            self.executionTime = executionTime
            self.returnCode = returnCode
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    public var status: Status
    public var message: String
    public var compileResult: CommandResult?
    public var runResult: CommandResult?
    public var files: [String: String] = [:]
    /// The sandbox's own verdict (ours, not SandboxFusion's), for metrics: `passed`, `timeLimit`, …
    public var verdict: String

    public init(
        status: Status, message: String, compileResult: CommandResult?, runResult: CommandResult?,
        files: [String: String] = [:], verdict: String
    ) {
        self.status = status
        self.message = message
        self.compileResult = compileResult
        self.runResult = runResult
        self.files = files
        self.verdict = verdict
    }
}
