import RewardKit

/// Runs one program for `/run_code` (SandboxFusion's request and response shapes).
///
/// Implemented over the sandbox by CodeRewards; a protocol here so that the HTTP layer is tested without one.
public protocol CodeExecutor: Sendable {
    /// Languages accepted (`python`, `cpp`, …); others get 422.
    var languages: [String] { get }
    func run(_ request: RunCodeRequest) async -> RunCodeResponse
}

/// SandboxFusion's `RunCodeRequest`: `code`, `language`, `compile_timeout` and `run_timeout` (seconds),
/// `memory_limit_MB` (−1: the profile's default), `stdin`, `files` (path → base64 content), `fetch_files`.
public struct RunCodeRequest: Sendable, Equatable {
    public var code: String
    public var language: String
    public var compileTimeout: Double = 10
    public var runTimeout: Double = 10
    public var memoryLimitMB: Int = -1
    public var stdin: String?
    public var files: [String: String] = [:]
    public var fetchFiles: [String] = []

    public init(code: String, language: String) {
        self.code = code
        self.language = language
    }
}

/// SandboxFusion's `RunCodeResponse`: `status` Success | Failed | SandboxError, `message`, `compile_result`,
/// `run_result`, `files` (path → base64).
public struct RunCodeResponse: Sendable, Equatable {
    public enum Status: String, Sendable { case success = "Success", failed = "Failed", sandboxError = "SandboxError" }

    /// One command's outcome: `status` Finished | Error | TimeLimitExceeded, `execution_time` (s),
    /// `return_code`, `stdout`, `stderr`.
    public struct CommandResult: Sendable, Equatable {
        public enum Status: String, Sendable { case finished = "Finished", error = "Error", timeLimitExceeded = "TimeLimitExceeded" }
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

    public init(status: Status, message: String, compileResult: CommandResult?, runResult: CommandResult?,
                files: [String: String] = [:], verdict: String) {
        self.status = status
        self.message = message
        self.compileResult = compileResult
        self.runResult = runResult
        self.files = files
        self.verdict = verdict
    }
}
