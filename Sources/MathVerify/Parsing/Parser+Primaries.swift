/// Primaries: numbers, words, `\text{}`, commands, functions, brackets, environments (see `Parser`).
extension Parser {
    /// A LaTeX macro argument: `{...}`, or one digit/letter (`\frac12`, `\sqrt2`), or one primary (`\frac\pi2`).
    mutating func readArgument() throws(MathVerifyError) -> Expr {
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

    func letter(_ s: String) -> Expr {
        switch s {
        case "e": return .constant(.e)
        case "i": return .constant(.i)
        default: return .symbol(s)
        }
    }

    mutating func parsePrimary() throws(MathVerifyError) -> Expr {
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
                // Braces group in LaTeX (`{1,3}` is the list 1, 3); `\{1,3\}` is a set.
                let items = try parseItems()
                try expectSymbol("}")
                return items.count == 1 ? items[0] : .list(items)
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

    mutating func readRawDigits() throws(MathVerifyError) -> [UInt8] {
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
    func repeatingDecimal(_ n: NumberLiteral, _ repeating: [UInt8]) throws(MathVerifyError) -> Rational {
        guard repeating.count <= 50, n.fractionDigits <= 50 else {
            throw .overBudget(limit: "repeating digits", value: 50)
        }
        let fixed = n.value(maxBits: budget.maxBits) ?? .zero
        let r = BigInt(decimalDigits: repeating) ?? .zero
        let nines = BigInt(10).power(repeating.count) - .one
        let scale = BigInt(10).power(n.fractionDigits)
        return fixed + Rational(r, nines * scale)
    }

    mutating func parseWord(_ w: String) throws(MathVerifyError) -> Expr {
        let lower = w.lowercased()
        if NumberWords.isNumberWord(lower) {
            var words = [lower]
            while pos < lexemes.count {
                if case .word(let n) = current, NumberWords.isNumberWord(n) {
                    words.append(n)
                    pos += 1
                } else if case .word(let n) = current, n.lowercased() == "and", case .word(let m) = next,
                    NumberWords.isNumberWord(m),
                    words.contains(where: { ["hundred", "thousand", "million", "billion"].contains($0) })
                {
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

    mutating func parseTextContent(_ raw: String) throws(MathVerifyError) -> Expr {
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
            let inner = try? Parser.parse(UnicodeFolding.fold(t), budget: budget), !inner.isCompound
        {
            return inner
        }
        return .text(t.lowercased())
    }

    mutating func parseCommand(_ c: String) throws(MathVerifyError) -> Expr {
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
                return .interval(
                    .neg(.constant(.infinity)), .constant(.infinity), lowerClosed: false, upperClosed: false)
            }
            return arg
        default:
            if Parser.functions.contains(c) || c == "arcsin" { return try parseFunction(c) }
            return .symbol(Parser.greek.contains(c) ? c : "\\" + c)
        }
    }

    mutating func parseFunction(_ name: String) throws(MathVerifyError) -> Expr {
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
                !isSymbol(current, "(")
            {
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

    func startsFunction(_ t: Token) -> Bool {
        switch t {
        case .command(let c): return Parser.functions.contains(c) || c == "frac" || c == "arcsin"
        case .word(let w): return Parser.functions.contains(w.lowercased())
        default: return false
        }
    }

    /// `(a)`, `(a, b)` tuple, `[a, b]` / `(a, b]` / `[a, b)` intervals.
    mutating func parseBracketed(open: UInt8) throws(MathVerifyError) -> Expr {
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

    mutating func parseEnvironment(_ env: String) throws(MathVerifyError) -> Expr {
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
            guard width > 0, rows.allSatisfy({ $0.count == width }) else {
                throw .syntax(message: "ragged matrix", near: env)
            }
            return .matrix(rows)
        }
        let all = rows.flatMap { $0 }
        return all.count == 1 ? all[0] : .list(all)
    }
}
