/// A source program run through its profile: compile (if the profile has a compile step) then run.
public struct ProgramResult: Sendable {
    /// The compile step's result (nil for interpreted languages).
    public var compile: RunResult?
    /// The run's result; nil when compilation failed.
    public var run: RunResult?

    /// The verdict that counts: the compile failure, else the run's.
    public var verdict: Verdict { run?.verdict ?? compile?.verdict ?? .runtimeError(exitCode: -1) }
}

extension Sandbox {
    /// Compiles (when needed) and runs `source` in `profile`, with `stdin` and extra files in /work.
    public func run(source: String, profile: Profile, stdin: [UInt8]? = nil, files: [String: [UInt8]] = [:],
                    limits: Limits? = nil) async throws -> ProgramResult {
        var program = files
        program[profile.source] = Array(source.utf8)
        var binary: [UInt8]? = nil
        var compileResult: RunResult? = nil
        if let compile = profile.compile, let output = profile.binary {
            var step = Execution(profile: profile, command: compile, limits: profile.compileLimits)
            step.files = program
            step.collect = [output]
            let result = try await run(step)
            compileResult = result
            guard result.verdict == .ok, let built = result.files[output] else {
                return ProgramResult(compile: result, run: nil)
            }
            binary = built
        }
        var execution = Execution(profile: profile, limits: limits)
        execution.files = program
        if let binary, let output = profile.binary {
            execution.files[output] = binary
            execution.executables.insert(output)
        }
        execution.stdin = stdin.map { .bytes($0) } ?? .null
        return ProgramResult(compile: compileResult, run: try await run(execution))
    }
}
