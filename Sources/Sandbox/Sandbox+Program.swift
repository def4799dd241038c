/// A source program run through its profile: compile (if the profile has a compile step) then run.
public struct ProgramResult: Sendable {
    /// The compile step's result (nil for interpreted languages).
    public var compile: RunResult?
    /// The run's result; nil when compilation failed.
    public var run: RunResult?

    /// The verdict that counts: the compile failure, else the run's.
    public var verdict: Verdict { run?.verdict ?? compile?.verdict ?? .runtimeError(exitCode: -1) }
}

/// A program ready to run any number of times: its files (the built binary for compiled languages).
public struct PreparedProgram: Sendable {
    public var profile: Profile
    public var files: [String: [UInt8]]
    public var executables: Set<String>
    /// The compile step's result (nil for interpreted languages).
    public var compile: RunResult?
    /// False when compilation failed (then `compile` says why).
    public var runnable: Bool
}

extension Sandbox {
    /// Writes the source (and extra files) and compiles it in its own box when the profile has a compile step.
    public func prepare(source: String, profile: Profile, files: [String: [UInt8]] = [:]) async throws
        -> PreparedProgram
    {
        var program = files
        program[profile.source] = Array(source.utf8)
        guard let compile = profile.compile, let output = profile.binary else {
            return PreparedProgram(profile: profile, files: program, executables: [], compile: nil, runnable: true)
        }
        var step = Execution(profile: profile, command: compile, limits: profile.compileLimits)
        step.files = program
        step.collect = [output]
        let result = try await run(step)
        guard result.verdict == .ok, let built = result.files[output] else {
            return PreparedProgram(profile: profile, files: program, executables: [], compile: result, runnable: false)
        }
        program[output] = built
        return PreparedProgram(profile: profile, files: program, executables: [output], compile: result, runnable: true)
    }

    /// Runs a prepared program once in a fresh box.
    public func run(_ program: PreparedProgram, stdin: [UInt8]? = nil, limits: Limits? = nil) async throws
        -> RunResult
    {
        var execution = Execution(profile: program.profile, limits: limits)
        execution.files = program.files
        execution.executables = program.executables
        execution.stdin = stdin.map { .bytes($0) } ?? .null
        return try await run(execution)
    }

    /// Compiles (when needed) and runs `source` in `profile`, with `stdin` and extra files in /work.
    public func run(
        source: String, profile: Profile, stdin: [UInt8]? = nil, files: [String: [UInt8]] = [:],
        limits: Limits? = nil
    ) async throws -> ProgramResult {
        let program = try await prepare(source: source, profile: profile, files: files)
        guard program.runnable else { return ProgramResult(compile: program.compile, run: nil) }
        return ProgramResult(compile: program.compile, run: try await run(program, stdin: stdin, limits: limits))
    }
}
