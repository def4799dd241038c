/// Recursive-descent parser from tokens to `Expr`. Every level of nesting goes through `Budget.nested`, so deep
/// input ends in an over-budget error instead of a stack overflow.
///
/// Precedence, loosest first: list (`,` `;` "and") → relation (`=` `<` `\le` `\in` …) → union (`\cup`) →
/// sum (`+` `-` `\pm`) → product (`*` `/` `\cdot` implicit) → unary minus → power (right-associative) →
/// postfix (`!` `%` `^\circ` `_base`) → primary.
struct Parser {
    var lexemes: [Lexeme]
    var pos = 0
    let budget: Budget
    var absDepth = 0

    static let functions: Set<String> = [
        "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "asec", "acsc", "acot", "sinh", "cosh",
        "tanh", "log", "ln", "lg", "exp", "sqrt", "abs", "gcd", "lcm", "max", "min", "floor", "ceil", "det",
    ]
    static let unitWords: Set<String> = [
        "cm", "mm", "km", "kg", "mg", "ml", "ft", "in", "yd", "mi", "hr", "hrs", "lb", "lbs", "oz", "sq", "mph",
        "kph", "cc", "dl", "min", "sec", "ms", "ns", "kw", "mb", "gb", "kb",
    ]
    static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
    ]

    init(_ lexemes: [Lexeme], budget: Budget) {
        self.lexemes = lexemes
        self.budget = budget
    }

    /// Parses folded answer bytes into an expression.
    /// `decimalComma`: see `MathVerify.Options.decimalComma`.
    static func parse(_ bytes: [UInt8], budget: Budget, decimalComma: Bool = false) throws(MathVerifyError) -> Expr {
        let trimmed = bytes.drop { $0 == 0x20 }
        let startsBracketed = trimmed.first.map { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") } ?? false
        var lexer = Lexer(
            Parser.joiningSpacedThousands(bytes), budget: budget, joinThousands: !startsBracketed,
            decimalComma: decimalComma)
        var parser = Parser(try lexer.tokenize(), budget: budget)
        return try parser.parseAll()
    }

    /// `1 000 000` (the whole answer, groups of three after the first) → `1000000`; anything else unchanged.
    static func joiningSpacedThousands(_ bytes: [UInt8]) -> [UInt8] {
        var digits = [UInt8]()
        var group = 0
        var groups = 0
        for (i, b) in bytes.enumerated() {
            if b >= 48 && b <= 57 {
                digits.append(b)
                group += 1
            } else if b == 0x20 && group > 0 && (groups > 0 ? group == 3 : group <= 3) {
                groups += 1
                group = 0
            } else if b == UInt8(ascii: "-") && i == 0 {
                digits.append(b)
            } else {
                return bytes
            }
        }
        return groups > 0 && group == 3 ? digits : bytes
    }

    mutating func parseAll() throws(MathVerifyError) -> Expr {
        if lexemes.isEmpty { throw .syntax(message: "empty answer", near: "") }
        // `\approx 8.24`, `= 5`: a leading relation sign introduces the answer.
        if case .command(let c) = current, ["approx", "sim", "simeq", "equiv"].contains(c), lexemes.count > 1 {
            pos += 1
        }
        if isSymbol(current, "="), lexemes.count > 1 { pos += 1 }
        let items = try parseItems()
        if pos < lexemes.count { throw syntaxError("unexpected token") }
        let result = items.count == 1 ? items[0] : .list(items)
        if result.depthExceeds(4 * budget.maxDepth) {
            throw .overBudget(limit: "expression depth", value: 4 * budget.maxDepth)
        }
        return result
    }

    // MARK: Token access

    var current: Token? { pos < lexemes.count ? lexemes[pos].token : nil }
    var next: Token? { pos + 1 < lexemes.count ? lexemes[pos + 1].token : nil }

    func isSymbol(_ t: Token?, _ c: Character) -> Bool {
        if case .symbol(let b) = t { return b == c.asciiValue! }
        return false
    }

    func syntaxError(_ message: String) -> MathVerifyError {
        let near = lexemes[min(pos, lexemes.count)...].prefix(4).map { describe($0.token) }.joined(separator: " ")
        return .syntax(message: message, near: near)
    }

    func describe(_ t: Token) -> String {
        switch t {
        case .number(let n): return String(decoding: n.digits, as: UTF8.self)
        case .word(let w): return w
        case .command(let c): return "\\" + c
        case .text(let s): return "\\text{\(s)}"
        case .symbol(let b): return String(UnicodeScalar(b))
        case .setOpen: return "\\{"
        case .setClose: return "\\}"
        case .rowSeparator: return "\\\\"
        case .beginEnvironment(let e): return "\\begin{\(e)}"
        case .endEnvironment(let e): return "\\end{\(e)}"
        }
    }

    mutating func expectSymbol(_ c: Character) throws(MathVerifyError) {
        guard isSymbol(current, c) else { throw syntaxError("expected \(c)") }
        pos += 1
    }
}
