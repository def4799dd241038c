/// Recursive-descent parser from tokens to `Expr`. Every level of nesting goes through `Budget.nested`, so deep
/// input ends in an over-budget error instead of a stack overflow.
///
/// Precedence, loosest first: list (`,` `;` "and") → relation (`=` `<` `\le` `\in` …) → union (`\cup`) →
/// sum (`+` `-` `\pm`) → product (`*` `/` `\cdot` implicit) → unary minus → power (right-associative) →
/// postfix (`!` `%` `^\circ` `_base`) → primary.
struct Parser {
    private var lexemes: [Lexeme]
    private var pos = 0
    private let budget: Budget
    private var absDepth = 0

    static let functions: Set<String> = [
        "sin", "cos", "tan", "sec", "csc", "cot", "asin", "acos", "atan", "asec", "acsc", "acot", "sinh", "cosh",
        "tanh", "log", "ln", "lg", "exp", "sqrt", "abs", "gcd", "lcm", "max", "min", "floor", "ceil", "det",
    ]
    private static let unitWords: Set<String> = [
        "cm", "mm", "km", "kg", "mg", "ml", "ft", "in", "yd", "mi", "hr", "hrs", "lb", "lbs", "oz", "sq", "mph",
        "kph", "cc", "dl", "min", "sec", "ms", "ns", "kw", "mb", "gb", "kb",
    ]
    private static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota",
        "kappa", "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
    ]

    init(_ lexemes: [Lexeme], budget: Budget) {
        self.lexemes = lexemes
        self.budget = budget
    }

    /// Parses folded answer bytes into an expression.
    static func parse(_ bytes: [UInt8], budget: Budget) throws(MathVerifyError) -> Expr {
        let trimmed = bytes.drop { $0 == 0x20 }
        let startsBracketed = trimmed.first.map { $0 == UInt8(ascii: "(") || $0 == UInt8(ascii: "[") } ?? false
        var lexer = Lexer(Parser.joiningSpacedThousands(bytes), budget: budget, joinThousands: !startsBracketed)
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
        if case .command(let c) = current, ["approx", "sim", "simeq", "equiv"].contains(c), lexemes.count > 1 { pos += 1 }
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

    private var current: Token? { pos < lexemes.count ? lexemes[pos].token : nil }
    private var next: Token? { pos + 1 < lexemes.count ? lexemes[pos + 1].token : nil }

    private func isSymbol(_ t: Token?, _ c: Character) -> Bool {
        if case .symbol(let b) = t { return b == c.asciiValue! }
        return false
    }

    private func syntaxError(_ message: String) -> MathVerifyError {
        let near = lexemes[min(pos, lexemes.count)...].prefix(4).map { describe($0.token) }.joined(separator: " ")
        return .syntax(message: message, near: near)
    }

    private func describe(_ t: Token) -> String {
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

    private mutating func expectSymbol(_ c: Character) throws(MathVerifyError) {
        guard isSymbol(current, c) else { throw syntaxError("expected \(c)") }
        pos += 1
    }

    // MARK: Lists and relations

    private func isListSeparator(_ t: Token?) -> Bool {
        switch t {
        case .symbol(let b): return b == UInt8(ascii: ",") || b == UInt8(ascii: ";")
        case .word(let w): return w == "and" || w == "or"
        case .text(let s):
            let l = String(s.lowercased().filter { $0 != "," }).trimmingSpaces
            return l == "and" || l == "or" || (l.isEmpty && s.contains(","))
        default: return false
        }
    }

    /// Comma-separated items up to a closer (not consumed) or the end.
    private mutating func parseItems() throws(MathVerifyError) -> [Expr] {
        try budget.nested { () throws(MathVerifyError) -> [Expr] in
            var items = [try parseRelation()]
            while isListSeparator(current) {
                pos += 1
                while isListSeparator(current) { pos += 1 }  // `19, 46, and 82`
                if current == nil || isCloser(current) { break }
                items.append(try parseRelation())
            }
            return items
        }
    }

    private func isCloser(_ t: Token?) -> Bool {
        switch t {
        case .symbol(let b):
            return b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}")
        case .setClose, .endEnvironment, .rowSeparator: return true
        default: return false
        }
    }

    private mutating func relationOperator() -> Expr.Relation? {
        switch current {
        case .symbol(let b):
            let nextIsEqual = isSymbol(next, "=")
            switch b {
            case UInt8(ascii: "="):
                pos += nextIsEqual ? 2 : 1
                return .equal
            case UInt8(ascii: "<"):
                pos += nextIsEqual ? 2 : 1
                return nextIsEqual ? .lessEqual : .less
            case UInt8(ascii: ">"):
                pos += nextIsEqual ? 2 : 1
                return nextIsEqual ? .greaterEqual : .greater
            case UInt8(ascii: "!") where nextIsEqual:
                pos += 2
                return .notEqual
            default: return nil
            }
        case .command(let c):
            let map: [String: Expr.Relation] = [
                "le": .lessEqual, "ge": .greaterEqual, "ne": .notEqual, "in": .member, "approx": .equal,
                "equiv": .equal, "sim": .equal, "cong": .equal, "simeq": .equal,
            ]
            if let r = map[c] {
                pos += 1
                return r
            }
            return nil
        default: return nil
        }
    }

    private mutating func parseRelation() throws(MathVerifyError) -> Expr {
        var terms = [try parseUnion()]
        var ops = [Expr.Relation]()
        while let op = relationOperator() {
            try budget.tick()
            ops.append(op)
            terms.append(try parseUnion())
        }
        return ops.isEmpty ? terms[0] : .relation(terms, ops)
    }

    private mutating func parseUnion() throws(MathVerifyError) -> Expr {
        var parts = [try parseSum()]
        while case .command(let c) = current, c == "cup" || c == "union" {
            pos += 1
            parts.append(try parseSum())
        }
        return parts.count == 1 ? parts[0] : .union(parts)
    }

    // MARK: Arithmetic

    private mutating func parseSum() throws(MathVerifyError) -> Expr {
        var terms = [try parseProduct()]
        var chained = 0
        func sum(_ t: [Expr]) -> Expr { t.count == 1 ? t[0] : .add(t) }
        while true {
            try budget.tick()
            if isSymbol(current, "+") {
                pos += 1
                terms.append(try parseProduct())
            } else if isSymbol(current, "-") {
                pos += 1
                terms.append(.neg(try parseProduct()))
            } else if case .command(let c) = current, c == "pm" || c == "mp" {
                pos += 1
                let rhs = try parseProduct()
                terms = [.plusMinus(sum(terms), rhs)]
                chained += 1
                if chained > 16 { throw .overBudget(limit: "chained operators", value: 16) }
            } else {
                break
            }
        }
        return sum(terms)
    }

    private func startsImplicitFactor(_ l: Lexeme?) -> Bool {
        guard let l else { return false }
        switch l.token {
        case .number, .beginEnvironment: return true
        case .word(let w): return w != "and" && w != "or"
        case .text:
            return !isListSeparator(l.token)
        case .command(let c):
            return !["pm", "mp", "le", "ge", "ne", "in", "cup", "union", "approx", "equiv", "sim", "cong", "simeq",
                     "rightarrow", "degree", "ldots", "dots", "cdots", "end", "rfloor", "rceil", "quad"].contains(c)
        case .symbol(let b):
            return b == UInt8(ascii: "(") || b == UInt8(ascii: "{") || (b == UInt8(ascii: "|") && absDepth == 0)
        default: return false
        }
    }

    private mutating func parseProduct() throws(MathVerifyError) -> Expr {
        var factors = [try parseUnary()]
        var chained = 0
        func product(_ f: [Expr]) -> Expr { f.count == 1 ? f[0] : .mul(f) }
        while true {
            try budget.tick()
            if isSymbol(current, "*") {
                pos += 1
                factors.append(try parseUnary())
            } else if isSymbol(current, "/") {
                pos += 1
                let denominator = try parseUnary()
                factors = [.div(product(factors), denominator)]
                chained += 1
                if chained > 16 { throw .overBudget(limit: "chained operators", value: 16) }
            } else if pos < lexemes.count, startsImplicitFactor(lexemes[pos]) {
                if factors.count == 1, let mixed = try mixedNumber(whole: factors[0]) {
                    factors = [mixed]
                    continue
                }
                factors.append(try parsePower())
            } else {
                break
            }
        }
        return product(factors)
    }

    /// `2\frac{1}{2}` and `2 1/2` are mixed numbers (5/2), not products.
    private mutating func mixedNumber(whole: Expr) throws(MathVerifyError) -> Expr? {
        guard case .number(let w) = whole, w.isInteger, !w.isNegative else { return nil }
        if case .command("frac") = current {
            let save = pos
            pos += 1
            let n = try readArgument()
            let d = try readArgument()
            if case .number(let a) = n, case .number(let b) = d, a.isInteger, b.isInteger, !b.isZero, a < b {
                return .number(w + a.divided(by: b)!)
            }
            pos = save
            return nil
        }
        if case .number(let a) = current, lexemes[pos].spaceBefore, a.fractionDigits == 0, a.exponent == 0,
           isSymbol(next, "/"), pos + 2 < lexemes.count, case .number(let b) = lexemes[pos + 2].token,
           b.fractionDigits == 0, b.exponent == 0,
           let av = a.value(maxBits: budget.maxBits), let bv = b.value(maxBits: budget.maxBits), !bv.isZero, av < bv {
            if pos + 3 < lexemes.count, isSymbol(lexemes[pos + 3].token, "^") { return nil }
            pos += 3
            return .number(w + av.divided(by: bv)!)
        }
        return nil
    }

    private mutating func parseUnary() throws(MathVerifyError) -> Expr {
        try budget.nested { () throws(MathVerifyError) -> Expr in
            if isSymbol(current, "-") {
                pos += 1
                return .neg(try parseUnary())
            }
            if isSymbol(current, "+") {
                pos += 1
                return try parseUnary()
            }
            if case .command(let c) = current, c == "pm" || c == "mp" {
                pos += 1
                return .plusMinus(.number(.zero), try parseUnary())
            }
            return try parsePower()
        }
    }

    private mutating func parsePower() throws(MathVerifyError) -> Expr {
        try budget.nested { () throws(MathVerifyError) -> Expr in
            var base = try parsePostfix(try parsePrimary())
            if isSymbol(current, "^") || (isSymbol(current, "*") && isSymbol(next, "*")) {
                pos += isSymbol(current, "^") ? 1 : 2
                if case .command("degree") = current {
                    pos += 1
                    return try parsePostfix(.function("degree", [base]))
                }
                if isSymbol(current, "{"), pos + 2 < lexemes.count, case .command("degree") = lexemes[pos + 1].token,
                   isSymbol(lexemes[pos + 2].token, "}") {
                    pos += 3
                    return try parsePostfix(.function("degree", [base]))
                }
                let exponent = try parseExponent()
                base = try parsePostfix(.pow(base, exponent))
            }
            return base
        }
    }

    private mutating func parseExponent() throws(MathVerifyError) -> Expr {
        if isSymbol(current, "{") { return try readArgument() }
        if case .number(let n) = current {
            pos += 1
            guard let v = n.value(maxBits: budget.maxBits) else { throw .overBudget(limit: "number bits", value: budget.maxBits) }
            return .number(v)
        }
        return try parseUnary()
    }

    private mutating func parsePostfix(_ e: Expr) throws(MathVerifyError) -> Expr {
        var e = e
        var applied = 0
        while true {
            try budget.tick()
            applied += 1
            if applied > 16 { throw .overBudget(limit: "postfix operators", value: 16) }
            if isSymbol(current, "!") && !isSymbol(next, "=") {
                pos += 1
                e = .factorial(e)
            } else if isSymbol(current, "%") || isPercentWord(current) {
                pos += 1
                e = .percent(e)
            } else if case .command("degree") = current {
                pos += 1
                e = .function("degree", [e])
            } else if isSymbol(current, "'") {
                pos += 1
                if case .symbol(let s) = e { e = .symbol(s + "'") }
            } else if isSymbol(current, "_") {
                pos += 1
                let sub = try readArgument()
                switch e {
                case .number: e = .function("base", [e, sub])  // `2516_8`: digits in base 8
                case .symbol(let s): e = .symbol(s + "_" + sub.description)
                default: e = .function("subscript", [e, sub])
                }
            } else {
                return e
            }
        }
    }

    private func isPercentWord(_ t: Token?) -> Bool {
        switch t {
        case .word(let w): return ["percent", "pct", "percentage"].contains(w.lowercased())
        case .text(let w): return ["percent", "pct", "percentage", "%"].contains(w.trimmingSpaces.lowercased())
        default: return false
        }
    }

    // MARK: Primaries

    /// A LaTeX macro argument: `{...}`, or one digit/letter (`\frac12`, `\sqrt2`), or one primary (`\frac\pi2`).
    private mutating func readArgument() throws(MathVerifyError) -> Expr {
        try budget.nested { () throws(MathVerifyError) -> Expr in
            guard pos < lexemes.count else { throw syntaxError("missing argument") }
            switch lexemes[pos].token {
            case .symbol(let b) where b == UInt8(ascii: "{"):
                pos += 1
                let items = try parseItems()
                try expectSymbol("}")
                return items.count == 1 ? items[0] : .list(items)
            case .number(var n) where n.digits.count > 1 && n.fractionDigits == 0 && n.exponent == 0:
                let first = n.digits.removeFirst()
                lexemes[pos] = Lexeme(token: .number(n), spaceBefore: false)
                return .number(Rational(Int(first) - 48))
            case .word(let w) where w.utf8.count > 1:
                let first = String(w.prefix(1))
                lexemes[pos] = Lexeme(token: .word(String(w.dropFirst())), spaceBefore: false)
                return letter(first)
            default:
                return try parsePostfix(try parsePrimary())
            }
        }
    }

    private func letter(_ s: String) -> Expr {
        switch s {
        case "e": return .constant(.e)
        case "i": return .constant(.i)
        default: return .symbol(s)
        }
    }

    private mutating func parsePrimary() throws(MathVerifyError) -> Expr {
        try budget.tick()
        guard pos < lexemes.count else { throw syntaxError("unexpected end") }
        let token = lexemes[pos].token
        pos += 1
        switch token {
        case .number(let n):
            guard var value = n.value(maxBits: budget.maxBits) else {
                throw .overBudget(limit: "number bits", value: budget.maxBits)
            }
            if case .command(let c) = current, c == "overline" || c == "bar", n.exponent == 0 {
                pos += 1
                let repeating = try readRawDigits()
                value = try repeatingDecimal(n, repeating)
            }
            return .number(value)
        case .word(let w):
            return try parseWord(w)
        case .text(let t):
            return try parseTextContent(t)
        case .command(let c):
            return try parseCommand(c)
        case .symbol(let b):
            switch b {
            case UInt8(ascii: "("), UInt8(ascii: "["):
                return try parseBracketed(open: b)
            case UInt8(ascii: "{"):
                let items = try parseItems()
                try expectSymbol("}")
                return items.count == 1 ? items[0] : .set(items)
            case UInt8(ascii: "|"):
                absDepth += 1
                defer { absDepth -= 1 }
                let inner = try parseSum()
                try expectSymbol("|")
                return .function("abs", [inner])
            default:
                pos -= 1
                throw syntaxError("unexpected symbol")
            }
        case .setOpen:
            if case .setClose = current {
                pos += 1
                return .set([])
            }
            let items = try parseItems()
            guard case .setClose = current else { throw syntaxError("expected \\}") }
            pos += 1
            return .set(items)
        case .beginEnvironment(let env):
            return try parseEnvironment(env)
        default:
            pos -= 1
            throw syntaxError("unexpected token")
        }
    }

    private mutating func readRawDigits() throws(MathVerifyError) -> [UInt8] {
        var braced = false
        if isSymbol(current, "{") {
            braced = true
            pos += 1
        }
        guard case .number(let r) = current, r.fractionDigits == 0, r.exponent == 0 else {
            throw syntaxError("expected repeating digits")
        }
        pos += 1
        if braced { try expectSymbol("}") }
        return r.digits
    }

    /// `0.1\overline{6}` = 0.1 + 6 / (9 · 10).
    private func repeatingDecimal(_ n: NumberLiteral, _ repeating: [UInt8]) throws(MathVerifyError) -> Rational {
        guard repeating.count <= 50, n.fractionDigits <= 50 else { throw .overBudget(limit: "repeating digits", value: 50) }
        let fixed = n.value(maxBits: budget.maxBits) ?? .zero
        let r = BigInt(decimalDigits: repeating) ?? .zero
        let nines = BigInt(10).power(repeating.count) - .one
        let scale = BigInt(10).power(n.fractionDigits)
        return fixed + Rational(r, nines * scale)
    }

    private mutating func parseWord(_ w: String) throws(MathVerifyError) -> Expr {
        let lower = w.lowercased()
        if NumberWords.isNumberWord(lower) {
            var words = [lower]
            while pos < lexemes.count {
                if case .word(let n) = current, NumberWords.isNumberWord(n) {
                    words.append(n)
                    pos += 1
                } else if case .word(let n) = current, n.lowercased() == "and", case .word(let m) = next,
                          NumberWords.isNumberWord(m),
                          words.contains(where: { ["hundred", "thousand", "million", "billion"].contains($0) }) {
                    words.append(m)
                    pos += 2
                } else if isSymbol(current, "-"), case .word(let n) = next, NumberWords.isNumberWord(n) {
                    words.append(n)
                    pos += 2
                } else {
                    break
                }
            }
            if let v = NumberWords.value(of: words) { return .number(Rational(v)) }
        }
        switch lower {
        case "pi": return .constant(.pi)
        case "infty", "inf", "infinity", "oo": return .constant(.infinity)
        case "sqrt": return try parseFunction("sqrt")
        default: break
        }
        if Parser.functions.contains(lower) && w == lower {
            return try parseFunction(lower)
        }
        if w.utf8.count == 1 { return letter(w) }
        if w.utf8.count >= 3 || Parser.unitWords.contains(lower) || w.utf8.contains(where: { $0 >= 0x80 }) {
            return .text(lower)
        }
        return .mul(w.map { letter(String($0)) })
    }

    private mutating func parseTextContent(_ raw: String) throws(MathVerifyError) -> Expr {
        let t = raw.trimmingSpaces
        if t.isEmpty {
            if pos < lexemes.count, startsImplicitFactor(lexemes[pos]) { return try parsePrimary() }
            return .text("")
        }
        if t.utf8.count == 1, let b = t.utf8.first, (b >= 65 && b <= 90) || (b >= 97 && b <= 122) {
            return letter(t)  // `\mathrm{e}`, `\mathrm{i}`
        }
        let words = t.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
        if let v = NumberWords.value(of: words) { return .number(Rational(v)) }
        // `\text{A, D, F}`: a list of choices.
        let parts = t.split(separator: ",").map { $0.trimmingSpaces }
        if parts.count > 1, parts.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 3 }) {
            return .list(parts.map { .text($0.lowercased()) })
        }
        // `\text{5}` or `\text{(C)}`: try reading it as mathematics, else keep the words.
        if t.utf8.contains(where: { $0 >= 48 && $0 <= 57 }), t.utf8.count <= 40,
           let inner = try? Parser.parse(UnicodeFolding.fold(t), budget: budget), !inner.isCompound {
            return inner
        }
        return .text(t.lowercased())
    }

    private mutating func parseCommand(_ c: String) throws(MathVerifyError) -> Expr {
        switch c {
        case "frac":
            let n = try readArgument()
            let d = try readArgument()
            return .div(n, d)
        case "binom", "choose":
            let n = try readArgument()
            let k = try readArgument()
            return .function("binom", [n, k])
        case "sqrt":
            if isSymbol(current, "[") {
                pos += 1
                let index = try parseSum()
                try expectSymbol("]")
                let radicand = try readArgument()
                return .pow(radicand, .div(.number(.one), index))
            }
            return .function("sqrt", [try readArgument()])
        case "pi": return .constant(.pi)
        case "infty": return .constant(.infinity)
        case "emptyset", "varnothing": return .set([])
        case "lfloor", "lceil":
            let inner = try parseSum()
            guard case .command(let close) = current, close == (c == "lfloor" ? "rfloor" : "rceil") else {
                throw syntaxError("expected closing \(c == "lfloor" ? "\\rfloor" : "\\rceil")")
            }
            pos += 1
            return .function(c == "lfloor" ? "floor" : "ceil", [inner])
        case "overline", "bar", "vec", "hat", "tilde", "widehat", "overrightarrow", "mathbf", "boxed":
            return try readArgument()
        case "ldots", "dots", "cdots": return .text("...")
        case "mathbb":
            // `\mathbb{R}` is the whole real line; other blackboard letters are names.
            let arg = try readArgument()
            if case .symbol("R") = arg {
                return .interval(.neg(.constant(.infinity)), .constant(.infinity), lowerClosed: false, upperClosed: false)
            }
            return arg
        default:
            if Parser.functions.contains(c) || c == "arcsin" { return try parseFunction(c) }
            return .symbol(Parser.greek.contains(c) ? c : "\\" + c)
        }
    }

    private mutating func parseFunction(_ name: String) throws(MathVerifyError) -> Expr {
        var base: Expr?
        if name == "log", isSymbol(current, "_") {
            pos += 1
            base = try readArgument()
        }
        var power: Expr?
        if isSymbol(current, "^") {
            pos += 1
            power = try parseExponent()
        }
        let argument: Expr
        if isSymbol(current, "(") {
            pos += 1
            let items = try parseItems()
            try expectSymbol(")")
            argument = items.count == 1 ? items[0] : .tuple(items)
        } else if name == "sqrt" {
            argument = try readArgument()
        } else {
            // `\sin 3x` is sin(3x): the argument runs over implicit products up to an operator or another function.
            var factors = [try parsePower()]
            while pos < lexemes.count, startsImplicitFactor(lexemes[pos]), !startsFunction(lexemes[pos].token),
                  !isSymbol(current, "(") {
                try budget.tick()
                factors.append(try parsePower())
            }
            argument = factors.count == 1 ? factors[0] : .mul(factors)
        }
        var result: Expr
        var fname = name == "lg" ? "log10" : name
        var isMinusOne = false
        if case .number(let p)? = power, p == Rational(-1) { isMinusOne = true }
        if case .neg(.number(let p))? = power, p == .one { isMinusOne = true }
        if isMinusOne, ["sin", "cos", "tan", "sec", "csc", "cot"].contains(name) {
            fname = "a" + name
            power = nil
        }
        if let base {
            result = .function("log", [base, argument])
        } else if case .tuple(let args) = argument, ["gcd", "lcm", "max", "min"].contains(fname) {
            result = .function(fname, args)
        } else {
            result = .function(fname, [argument])
        }
        if let power { result = .pow(result, power) }
        return result
    }

    private func startsFunction(_ t: Token) -> Bool {
        switch t {
        case .command(let c): return Parser.functions.contains(c) || c == "frac" || c == "arcsin"
        case .word(let w): return Parser.functions.contains(w.lowercased())
        default: return false
        }
    }

    /// `(a)`, `(a, b)` tuple, `[a, b]` / `(a, b]` / `[a, b)` intervals.
    private mutating func parseBracketed(open: UInt8) throws(MathVerifyError) -> Expr {
        let items = try parseItems()
        guard case .symbol(let close) = current, close == UInt8(ascii: ")") || close == UInt8(ascii: "]") else {
            throw syntaxError("expected ) or ]")
        }
        pos += 1
        let openRound = open == UInt8(ascii: "(")
        let closeRound = close == UInt8(ascii: ")")
        if items.count == 1 { return items[0] }
        if items.count == 2 && !(openRound && closeRound) {
            return .interval(items[0], items[1], lowerClosed: !openRound, upperClosed: !closeRound)
        }
        return .tuple(items)
    }

    private mutating func parseEnvironment(_ env: String) throws(MathVerifyError) -> Expr {
        var rows: [[Expr]] = []
        var row: [Expr] = []
        while true {
            try budget.tick()
            if case .endEnvironment = current {
                pos += 1
                break
            }
            guard pos < lexemes.count else { throw syntaxError("missing \\end{\(env)}") }
            if case .rowSeparator = current {
                pos += 1
                rows.append(row)
                row = []
                continue
            }
            if isSymbol(current, "&") {
                pos += 1
                continue
            }
            let items = try parseItems()
            row.append(items.count == 1 ? items[0] : .list(items))
        }
        if !row.isEmpty { rows.append(row) }
        rows.removeAll { $0.isEmpty }
        if env.contains("matrix") || env == "array" {
            let width = rows.first?.count ?? 0
            guard width > 0, rows.allSatisfy({ $0.count == width }) else { throw .syntax(message: "ragged matrix", near: env) }
            return .matrix(rows)
        }
        let all = rows.flatMap { $0 }
        return all.count == 1 ? all[0] : .list(all)
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingSpaces: String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}
