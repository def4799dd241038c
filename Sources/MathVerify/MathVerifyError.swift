/// Why an answer could not be read or compared. `verify` never throws: it turns these into an `undecided` verdict
/// whose reason is the error's description.
public enum MathVerifyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A fixed budget (steps, nesting depth, answer length or number size) was exhausted; `limit` names it.
    case overBudget(limit: String, value: Int)
    /// The text is not an expression this parser understands; `near` is the text around the problem.
    case syntax(message: String, near: String)
    /// The expression is well formed but cannot be evaluated (division by zero, a set used as a number...).
    case undefined(String)

    public var description: String {
        switch self {
        case .overBudget(let limit, let value): return "over budget: \(limit) limit \(value) exceeded"
        case .syntax(let message, let near): return "cannot parse: \(message) near \"\(near)\""
        case .undefined(let message): return "undefined: \(message)"
        }
    }
}
