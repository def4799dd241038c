/// Lists, relations and the arithmetic operators, loosest first (see `Parser`).
extension Parser {
    func isListSeparator(_ t: Token?) -> Bool {
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
    /// When both `;` and `,` separate the items, `;` separates groups and each group of several items is a tuple:
    /// `p=5,q=2;p=7,q=2` is `(p=5, q=2), (p=7, q=2)`.
    mutating func parseItems() throws(MathVerifyError) -> [Expr] {
        try budget.nested { () throws(MathVerifyError) -> [Expr] in
            var items = [try parseRelation()]
            var groupStarts: [Int] = []  // item indices where a `;` group begins
            var commas = false
            while isListSeparator(current) {
                if isSymbol(current, ";") { groupStarts.append(items.count) } else { commas = true }
                pos += 1
                while isListSeparator(current) { pos += 1 }  // `19, 46, and 82`
                if current == nil || isCloser(current) { break }
                items.append(try parseRelation())
            }
            guard commas, !groupStarts.isEmpty else { return items }
            var groups: [Expr] = []
            for (k, start) in ([0] + groupStarts).enumerated() {
                let end = k < groupStarts.count ? groupStarts[k] : items.count
                guard start < end else { continue }
                groups.append(end - start == 1 ? items[start] : .tuple(Array(items[start..<end])))
            }
            return groups
        }
    }

    func isCloser(_ t: Token?) -> Bool {
        switch t {
        case .symbol(let b):
            return b == UInt8(ascii: ")") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}")
        case .setClose, .endEnvironment, .rowSeparator: return true
        default: return false
        }
    }

    mutating func relationOperator() -> Expr.Relation? {
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
                "le": .lessEqual, "ge": .greaterEqual, "ne": .notEqual, "in": .member, "approx": .approx,
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

    mutating func parseRelation() throws(MathVerifyError) -> Expr {
        var terms = [try parseUnion()]
        var ops = [Expr.Relation]()
        while let op = relationOperator() {
            try budget.tick()
            ops.append(op)
            terms.append(try parseUnion())
        }
        return ops.isEmpty ? terms[0] : .relation(terms, ops)
    }

    mutating func parseUnion() throws(MathVerifyError) -> Expr {
        var parts = [try parseRatio()]
        while case .command(let c) = current, c == "cup" || c == "union" {
            pos += 1
            parts.append(try parseRatio())
        }
        return parts.count == 1 ? parts[0] : .union(parts)
    }

    /// `a : b : c` is the ratio `ratio(a, b, c)` (gap D: `S_{MBCN}:S = 7:32`, `A:B = 1`). A ratio is not the
    /// fraction a/b: it equals only a proportional ratio.
    mutating func parseRatio() throws(MathVerifyError) -> Expr {
        var parts = [try parseSum()]
        while isSymbol(current, ":"), pos + 1 < lexemes.count, !isCloser(next), !isListSeparator(next) {
            pos += 1
            parts.append(try parseSum())
            if parts.count > 16 { throw .overBudget(limit: "chained operators", value: 16) }
        }
        return parts.count == 1 ? parts[0] : .function("ratio", parts)
    }

    // MARK: Arithmetic

    mutating func parseSum() throws(MathVerifyError) -> Expr {
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

    func startsImplicitFactor(_ l: Lexeme?) -> Bool {
        guard let l else { return false }
        switch l.token {
        case .number, .beginEnvironment: return true
        case .word(let w): return w != "and" && w != "or"
        case .text:
            return !isListSeparator(l.token)
        case .command(let c):
            return ![
                "pm", "mp", "le", "ge", "ne", "in", "cup", "union", "approx", "equiv", "sim", "cong", "simeq",
                "rightarrow", "degree", "ldots", "dots", "cdots", "end", "rfloor", "rceil", "quad",
            ].contains(c)
        case .symbol(let b):
            return b == UInt8(ascii: "(") || b == UInt8(ascii: "{") || (b == UInt8(ascii: "|") && absDepth == 0)
        default: return false
        }
    }

    mutating func parseProduct() throws(MathVerifyError) -> Expr {
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
    mutating func mixedNumber(whole: Expr) throws(MathVerifyError) -> Expr? {
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
            let av = a.value(maxBits: budget.maxBits), let bv = b.value(maxBits: budget.maxBits), !bv.isZero, av < bv
        {
            if pos + 3 < lexemes.count, isSymbol(lexemes[pos + 3].token, "^") { return nil }
            pos += 3
            return .number(w + av.divided(by: bv)!)
        }
        return nil
    }

    mutating func parseUnary() throws(MathVerifyError) -> Expr {
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

    mutating func parsePower() throws(MathVerifyError) -> Expr {
        try budget.nested { () throws(MathVerifyError) -> Expr in
            var base = try parsePostfix(try parsePrimary())
            if isSymbol(current, "^") || (isSymbol(current, "*") && isSymbol(next, "*")) {
                pos += isSymbol(current, "^") ? 1 : 2
                if case .command("degree") = current {
                    pos += 1
                    return try parsePostfix(.function("degree", [base]))
                }
                if isSymbol(current, "{"), pos + 2 < lexemes.count, case .command("degree") = lexemes[pos + 1].token,
                    isSymbol(lexemes[pos + 2].token, "}")
                {
                    pos += 3
                    return try parsePostfix(.function("degree", [base]))
                }
                let exponent = try parseExponent()
                base = try parsePostfix(.pow(base, exponent))
            }
            return base
        }
    }

    mutating func parseExponent() throws(MathVerifyError) -> Expr {
        if isSymbol(current, "{") { return try readArgument() }
        if case .number(let n) = current {
            pos += 1
            guard let v = n.value(maxBits: budget.maxBits) else {
                throw .overBudget(limit: "number bits", value: budget.maxBits)
            }
            return .number(v)
        }
        return try parseUnary()
    }

    mutating func parsePostfix(_ e: Expr) throws(MathVerifyError) -> Expr {
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

    func isPercentWord(_ t: Token?) -> Bool {
        switch t {
        case .word(let w): return ["percent", "pct", "percentage"].contains(w.lowercased())
        case .text(let w): return ["percent", "pct", "percentage", "%"].contains(w.trimmingSpaces.lowercased())
        default: return false
        }
    }
}
