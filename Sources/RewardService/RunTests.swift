import CodeRewards
import RewardKit

/// `POST /v1/run_tests`: one program, many stdio cases, compiled once. `code`, `language`, `cases`
/// (`[{"stdin", "expected_stdout"}]`), `checker` (default `exact`; see `OutputChecker`), `run_timeout` (seconds per
/// case), `compile_timeout`, `memory_limit_MB` (as `/run_code`), `files`, `stop_on_first_failure` (default false).
///
/// Python also takes call-style cases, as APPS and TACO write function-call problems: `fn_name` names the
/// solution's function and each case is `{"input": [arguments…], "output": value}` (tagged values as the `call`
/// test kind reads them, see `PlainData`). The trusted grader calls the function once per case from outside the
/// candidate's box and compares by Python's `==`, or within the `float` checker's `abs`/`rel` tolerance.
public struct RunTestsRequest: Sendable {
    /// The limits and files as `/run_code` reads them (its `stdin` and `fetch_files` are refused here).
    public var program: RunCodeRequest
    /// Stdio cases (empty when the cases are call-style).
    public var cases: [CodeTests.StdioCase]
    /// Call-style cases and the function they call, or nil.
    public var calls: (function: String, cases: [CodeTests.CallCase])?
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
            "memory_limit_MB", "files", "stop_on_first_failure", "fn_name",
        ]
        if let extra = o.keys.first(where: { !known.contains($0) }) {
            throw .badRequest("unknown field \"\(extra)\"; a request has \(known.sorted().joined(separator: ", "))")
        }
        let program = try RunCodeRequest(json: json)
        guard let list = o["cases"]?.arrayValue, !list.isEmpty else {
            throw .badRequest(
                "field \"cases\" must be a non-empty list of {\"stdin\", \"expected_stdout\"} (or, with "
                    + "\"fn_name\", of {\"input\", \"output\"}), got " + (o["cases"]?.jsonText.prefix(80) ?? "nothing"))
        }
        if let fn = o["fn_name"], !fn.isNull {
            guard let name = fn.stringValue, !name.isEmpty else {
                throw .badRequest(
                    "field \"fn_name\" must name the function the cases call, got \(fn.jsonText.prefix(40))")
            }
            try self.init(program: program, function: name, list: list)
        } else {
            try self.init(program: program, stdio: list)
        }
        if let c = o["checker"], !c.isNull {
            do { checker = try OutputChecker(json: c) } catch { throw .badRequest("\(error)") }
        }
        if calls != nil {
            switch checker {
            case .exact, .float: break
            case .tokens, .program:
                let kind = if case .tokens = checker { "tokens" } else { "program" }
                throw .badRequest(
                    "field \"checker\": call-style cases are compared as values (exact, or float with abs and "
                        + "rel), not by a \(kind) checker")
            }
        }
        if let s = o["stop_on_first_failure"], !s.isNull {
            guard case .bool(let b) = s else {
                throw .badRequest("field \"stop_on_first_failure\" must be true or false, got \(s.jsonText.prefix(40))")
            }
            stopOnFirstFailure = b
        }
    }

    /// Call-style cases: `{"input": [arguments…], "output": value}` each.
    private init(program: RunCodeRequest, function: String, list: [JSON]) throws(ServiceError) {
        var cases: [CodeTests.CallCase] = []
        for (i, c) in list.enumerated() {
            guard let input = c.objectValue?["input"]?.arrayValue else {
                let got = c.objectValue.map { $0["input"]?.jsonText.prefix(40) ?? "nothing" } ?? c.jsonText.prefix(40)
                throw .badRequest(
                    "field \"cases[\(i)].input\" must be the list of arguments of \(function), got \(got)")
            }
            guard let output = c.objectValue?["output"] else {
                throw .badRequest("field \"cases[\(i)].output\" is missing: the value \(function) must return")
            }
            cases.append(.init(input: input, output: output))
        }
        self.init(program: program, cases: [])
        calls = (function, cases)
    }

    /// Stdio cases: `{"stdin", "expected_stdout"}` each.
    private init(program: RunCodeRequest, stdio list: [JSON]) throws(ServiceError) {
        var cases: [CodeTests.StdioCase] = []
        for (i, c) in list.enumerated() {
            func text(_ key: String) throws(ServiceError) -> String {
                guard let t = c.objectValue?[key]?.stringValue else {
                    let got = c.objectValue.map { $0[key]?.jsonText.prefix(40) ?? "nothing" } ?? c.jsonText.prefix(40)
                    throw .badRequest("field \"cases[\(i)].\(key)\" must be a string, got \(got)")
                }
                return t
            }
            if c.objectValue?["input"] != nil, c.objectValue?["stdin"] == nil {
                throw .badRequest(
                    "field \"cases[\(i)]\" is a call-style case ({\"input\", \"output\"}): "
                        + "name the function it calls in field \"fn_name\"")
            }
            cases.append(.init(stdin: try text("stdin"), stdout: try text("expected_stdout")))
        }
        self.init(program: program, cases: cases)
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
    /// False for call-style cases: they share one candidate process, so CPU time and memory are not measured per
    /// case and answer `null` (and `stdout`/`stderr` are empty: the function's value is what is judged).
    public var perCaseResources = true

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
                    ("cpu_time", perCaseResources ? .double(r.cpuTime) : .null),
                    ("memory_MB", perCaseResources ? .double(Double(r.memoryBytes) / 1_048_576) : .null),
                    ("stdout", .string(r.stdoutHead)),
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
