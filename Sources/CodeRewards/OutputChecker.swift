import RewardKit

/// How a program's standard output is judged against the expected output of a case: the one implementation
/// behind the `stdio` test kind of recipes and `POST /v1/run_tests`.
///
/// - `exact`: the same lines; trailing whitespace of each line and trailing empty lines are ignored.
/// - `tokens`: the same whitespace-separated tokens (line breaks and spacing ignored).
/// - `float`: tokens; where both parse as numbers they may differ by `abs` or by `rel` times the expected value
///   (testlib's `doubleCompare`: |a − e| ≤ abs, or |a − e| ≤ rel·|e|); other tokens are compared exactly.
/// - `program`: a checker program (a special judge) in its own box; see `CheckerProgram`.
public enum OutputChecker: Sendable, Hashable {
    case exact
    case tokens
    case float(abs: Double, rel: Double)
    case program(code: String, language: String)

    /// Reads `"exact"`, `"tokens"`, `{"kind": "float", "abs": 1e-6, "rel": 1e-6}`, `{"kind": "program", "code",
    /// "language"}` (a string names a kind without options). Errors name `field` and the value.
    public init(json: JSON, field: String = "checker") throws {
        let kinds = "exact, tokens, float or program"
        if let name = json.stringValue {
            switch name {
            case "exact": self = .exact
            case "tokens": self = .tokens
            case "float": self = .float(abs: 1e-6, rel: 1e-6)
            default: throw CodeRewardsError("\(field): unknown checker \"\(name.prefix(80))\"; expected \(kinds)")
            }
            return
        }
        guard let o = json.objectValue, let kind = o["kind"]?.stringValue else {
            throw CodeRewardsError(
                "\(field): expected a checker name or an object with \"kind\" (\(kinds)), "
                    + "got \(json.jsonText.prefix(80))")
        }
        let known: [String: Set<String>] = [
            "exact": ["kind"], "tokens": ["kind"], "float": ["kind", "abs", "rel"],
            "program": ["kind", "code", "language"],
        ]
        guard let keys = known[kind] else {
            throw CodeRewardsError("\(field).kind: unknown checker \"\(kind.prefix(80))\"; expected \(kinds)")
        }
        if let extra = o.keys.first(where: { !keys.contains($0) }) {
            throw CodeRewardsError("\(field): unknown field \"\(extra)\" for checker \"\(kind)\"")
        }
        func tolerance(_ key: String) throws -> Double {
            guard let v = o[key] else { return 1e-6 }
            guard let x = v.doubleValue, x >= 0, x.isFinite else {
                throw CodeRewardsError("\(field).\(key): expected a non-negative number, got \(v.jsonText.prefix(40))")
            }
            return x
        }
        func string(_ key: String) throws -> String {
            guard let s = o[key]?.stringValue, !s.isEmpty else {
                throw CodeRewardsError(
                    "\(field).\(key): expected a non-empty string, got \(o[key]?.jsonText.prefix(40) ?? "nothing")")
            }
            return s
        }
        switch kind {
        case "exact": self = .exact
        case "tokens": self = .tokens
        case "float": self = .float(abs: try tolerance("abs"), rel: try tolerance("rel"))
        default: self = .program(code: try string("code"), language: try string("language"))
        }
    }

    /// The comparison of the built-in checkers (nil for `program`, which needs a box).
    public func matches(expected: String, actual: String) -> Bool? {
        switch self {
        case .exact: return Self.lines(expected) == Self.lines(actual)
        case .tokens: return Self.tokens(expected) == Self.tokens(actual)
        case .float(let a, let r):
            let e = Self.tokens(expected)
            let g = Self.tokens(actual)
            guard e.count == g.count else { return false }
            return zip(e, g).allSatisfy { x, y in x == y || Self.close(expected: x, actual: y, abs: a, rel: r) }
        case .program: return nil
        }
    }

    static func close(expected: Substring, actual: Substring, abs a: Double, rel r: Double) -> Bool {
        guard let e = Double(expected), let g = Double(actual), e.isFinite, g.isFinite else { return false }
        let d = Swift.abs(g - e)
        return d <= a || d <= r * Swift.abs(e)
    }

    static func tokens(_ text: String) -> [Substring] { text.split(whereSeparator: \.isWhitespace) }

    static func lines(_ text: String) -> [Substring] {
        let split = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var ls = split.map { (line: Substring) -> Substring in
            guard let last = line.lastIndex(where: { !$0.isWhitespace }) else { return line.prefix(0) }
            return line[...last]
        }
        while let last = ls.last, last.isEmpty { ls.removeLast() }
        return ls
    }
}
