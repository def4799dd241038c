import RewardKit

/// The tests of one code sample. Tests and expected outputs never enter the candidate's box: graders compare
/// outside it. Every Python kind runs in the trusted grader, reaching the candidate's functions only through calls
/// answered as plain data. Zero tests run is never a pass.
public enum CodeTests: Sendable, Hashable {
    /// Python asserts, graded in a separate box that reaches the candidate through a pipe.
    /// `code`: a `check(candidate)` function (with `entryPoint`, HumanEval) or top-level asserts naming the
    /// solution's functions (MBPP). `setup`: run in the candidate's box after the solution (MBPP
    /// `test_setup_code`). `prompt`: trusted code run in the grader first (HumanEval's helpers such as `poly`).
    /// A file that defines `unittest.TestCase` classes or pytest `test_` functions is graded as `.unittest` or
    /// `.pytest` (never as asserts that would define tests and run none).
    case asserts(code: String, entryPoint: String?, setup: String?, prompt: String?)
    /// A test file of `unittest.TestCase` classes, run by the grader's own `unittest`; the solution's functions
    /// are globals of the file and attributes of the module `solution`. One unit per test method.
    case unittest(code: String)
    /// A pytest test file (`test_` functions, fixtures, parametrize), run by the grader's own pytest (Debian's
    /// python3-pytest); names as for `.unittest`. One unit per collected test.
    case pytest(code: String)
    /// Calls of `function`; each result must equal the expected output by Python's `==` (or be close within the
    /// options' atol/rtol). Values are tagged JSON (see `PlainData`).
    case call(function: String, cases: [CallCase])
    /// Whole programs fed `stdin`; the stdout is judged by `checker` (nil: `exact`, or `float` with the recipe's
    /// `float_tolerance` when it is positive).
    case stdio(cases: [StdioCase], checker: OutputChecker? = nil)

    public struct CallCase: Sendable, Hashable {
        public var input: [JSON]
        public var output: JSON
        public init(input: [JSON], output: JSON) {
            self.input = input
            self.output = output
        }
    }

    public struct StdioCase: Sendable, Hashable {
        public var stdin: String
        public var stdout: String
        public init(stdin: String, stdout: String) {
            self.stdin = stdin
            self.stdout = stdout
        }
    }

    /// Reads a sample's tests: the `tests` field (`{"kind": "assert"|"call"|"stdio", …}`), else a HumanEval row
    /// (`test`, `entry_point`, `prompt`), else an MBPP row (`test_list`, `test_setup_code`, `test_imports`).
    public init(sample: Sample) throws {
        if let tests = sample.tests {
            self = try CodeTests(json: tests)
            return
        }
        let f = sample.fields
        if let test = f["test"]?.stringValue, let entry = f["entry_point"]?.stringValue {
            self = .asserts(
                code: test, entryPoint: entry, setup: nil, prompt: f["prompt"]?.stringValue ?? sample.prompt)
            return
        }
        if let list = f["test_list"]?.arrayValue {
            let asserts = try list.map { item -> String in
                guard let s = item.stringValue else {
                    throw CodeRewardsError("test_list: expected strings, got \(item.jsonText.prefix(80))")
                }
                return s
            }
            let imports = (f["test_imports"]?.arrayValue ?? []).compactMap(\.stringValue)
            let setup = f["test_setup_code"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            self = .asserts(
                code: (imports + asserts).joined(separator: "\n"), entryPoint: nil, setup: setup, prompt: nil)
            return
        }
        throw CodeRewardsError(
            "the sample has no tests: expected `tests`, HumanEval's `test`+`entry_point` or MBPP's `test_list`")
    }

    /// Parses the `tests` object.
    public init(json: JSON) throws {
        guard let o = json.objectValue, let kind = o["kind"]?.stringValue else {
            throw CodeRewardsError(
                "tests: expected an object with \"kind\" (assert, unittest, pytest, call or stdio), got "
                    + json.jsonText.prefix(80))
        }
        func string(_ key: String) throws -> String {
            guard let s = o[key]?.stringValue else {
                throw CodeRewardsError(
                    "tests.\(key): expected a string, got \(o[key]?.jsonText.prefix(80) ?? "nothing")")
            }
            return s
        }
        func cases() throws -> [JSONObject] {
            guard let a = o["cases"]?.arrayValue else {
                throw CodeRewardsError(
                    "tests.cases: expected a list, got \(o["cases"]?.jsonText.prefix(80) ?? "nothing")")
            }
            return try a.enumerated().map { i, c in
                guard let obj = c.objectValue else { throw CodeRewardsError("tests.cases[\(i)]: expected an object") }
                return obj
            }
        }
        switch kind {
        case "unittest": self = .unittest(code: try string("code"))
        case "pytest": self = .pytest(code: try string("code"))
        case "assert":
            self = .asserts(
                code: try string("code"), entryPoint: o["entry_point"]?.stringValue,
                setup: o["setup"]?.stringValue, prompt: o["prompt"]?.stringValue)
        case "call":
            let fn = try string("fn")
            self = .call(
                function: fn,
                cases: try cases().enumerated().map { i, c in
                    guard let input = c["input"]?.arrayValue else {
                        throw CodeRewardsError("tests.cases[\(i)].input: expected a list of arguments")
                    }
                    guard let output = c["output"] else { throw CodeRewardsError("tests.cases[\(i)].output: missing") }
                    return CallCase(input: input, output: output)
                })
        case "stdio":
            let checker = try o["checker"].flatMap {
                $0.isNull ? nil : try OutputChecker(json: $0, field: "tests.checker")
            }
            self = .stdio(
                cases: try cases().enumerated().map { i, c in
                    guard let stdout = c["stdout"]?.stringValue else {
                        throw CodeRewardsError("tests.cases[\(i)].stdout: expected a string")
                    }
                    return StdioCase(stdin: c["stdin"]?.stringValue ?? "", stdout: stdout)
                }, checker: checker)
        default:
            throw CodeRewardsError(
                "tests.kind: expected assert, unittest, pytest, call or stdio, got \"\(kind.prefix(40))\"")
        }
    }

    /// Number of test units before running (asserts are counted by the grader).
    var caseCount: Int? {
        switch self {
        case .asserts, .unittest, .pytest: nil
        case .call(_, let cases): cases.count
        case .stdio(let cases, _): cases.count
        }
    }
}
