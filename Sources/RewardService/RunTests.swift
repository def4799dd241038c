import CodeRewards
import RewardKit

/// `POST /v1/run_tests`: one program, many stdio cases, compiled once. `code`, `language`, `cases`
/// (`[{"stdin", "expected_stdout"}]`), `checker` (default `exact`; see `OutputChecker`), `run_timeout` (seconds per
/// case), `compile_timeout`, `memory_limit_MB` (as `/run_code`), `files`, `stop_on_first_failure` (default false).
public struct RunTestsRequest: Sendable {
    /// The limits and files as `/run_code` reads them (its `stdin` and `fetch_files` are refused here).
    public var program: RunCodeRequest
    public var cases: [CodeTests.StdioCase]
    public var checker: OutputChecker = .exact
    public var stopOnFirstFailure = false

    public init(program: RunCodeRequest, cases: [CodeTests.StdioCase]) {
        self.program = program
        self.cases = cases
    }

    /// Reads the body; errors name the field and value (400).
    init(json: JSON) throws(ServiceError) {
        guard let o = json.objectValue else { throw .badRequest("expected a JSON object, got \(json.kindDescription)") }
        let known: Set<String> = [
            "code", "language", "cases", "checker", "run_timeout", "compile_timeout",
            "memory_limit_MB", "files", "stop_on_first_failure",
        ]
        if let extra = o.keys.first(where: { !known.contains($0) }) {
            throw .badRequest("unknown field \"\(extra)\"; a request has \(known.sorted().joined(separator: ", "))")
        }
        let program = try RunCodeRequest(json: json)
        guard let list = o["cases"]?.arrayValue, !list.isEmpty else {
            throw .badRequest(
                "field \"cases\" must be a non-empty list of {\"stdin\", \"expected_stdout\"}, got "
                    + (o["cases"]?.jsonText.prefix(80) ?? "nothing"))
        }
        var cases: [CodeTests.StdioCase] = []
        for (i, c) in list.enumerated() {
            func text(_ key: String) throws(ServiceError) -> String {
                guard let t = c.objectValue?[key]?.stringValue else {
                    let got = c.objectValue.map { $0[key]?.jsonText.prefix(40) ?? "nothing" } ?? c.jsonText.prefix(40)
                    throw .badRequest("field \"cases[\(i)].\(key)\" must be a string, got \(got)")
                }
                return t
            }
            cases.append(.init(stdin: try text("stdin"), stdout: try text("expected_stdout")))
        }
        self.init(program: program, cases: cases)
        if let c = o["checker"], !c.isNull {
            do { checker = try OutputChecker(json: c) } catch { throw .badRequest("\(error)") }
        }
        if let s = o["stop_on_first_failure"], !s.isNull {
            guard case .bool(let b) = s else {
                throw .badRequest("field \"stop_on_first_failure\" must be true or false, got \(s.jsonText.prefix(40))")
            }
            stopOnFirstFailure = b
        }
    }
}

/// The answer of `/v1/run_tests`: `compile_result` (as `/run_code`'s, null for interpreted languages), `results`
/// (per case: `verdict`, `time`, `cpu_time`, `memory_MB`, `stdout` head, `stderr` tail, `message`), `passed`,
/// `total`. A compile failure answers with no results and `passed` 0.
public struct RunTestsResponse: Sendable {
    public var compileResult: RunCodeResponse.CommandResult?
    public var compiled: Bool
    public var results: [CaseResult]
    public var total: Int
    public var passed: Int { results.filter { $0.verdict == .accepted }.count }

    public init(compileResult: RunCodeResponse.CommandResult?, compiled: Bool, results: [CaseResult], total: Int) {
        self.compileResult = compileResult
        self.compiled = compiled
        self.results = results
        self.total = total
    }

    var json: JSON {
        let cases = results.map { r -> JSON in
            .object(
                JSONObject([
                    ("verdict", .string(r.verdict.rawValue)), ("time", .double(r.time)),
                    ("cpu_time", .double(r.cpuTime)),
                    ("memory_MB", .double(Double(r.memoryBytes) / 1_048_576)), ("stdout", .string(r.stdoutHead)),
                    ("stderr", .string(r.stderrTail)), ("message", r.message.map(JSON.string) ?? .null),
                ]))
        }
        return .object(
            JSONObject([
                ("compile_result", compileResult?.json ?? .null), ("compiled", .bool(compiled)),
                ("results", .array(cases)),
                ("passed", .int(Int64(passed))), ("total", .int(Int64(total))),
            ]))
    }
}
