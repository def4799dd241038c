/// Rewrites a parsed answer into the form that is compared: units dropped, `x = 3` read as `3`, `x > 3` read as the
/// interval `(3, ∞)`, `x \in S` as `S`, `a ± b` as the list `a + b, a - b`, percent signs by `PercentHandling`.
struct Canonicalizer {
    let options: MathVerify.Options
    let budget: Budget

    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    static let functionNames: Set<String> = ["f", "g", "h", "p", "q", "F", "G", "H", "P", "Q"]

    /// The readings of `e` to compare (two when `percent == .either` and `e` has a percent sign, else one).
    func readings(_ e: Expr) throws(MathVerifyError) -> [Expr] {
        let base = try canonical(e)
        guard containsPercent(base) else { return [base] }
        switch options.percent {
        case .divideBy100: return [try rewritePercent(base, drop: false)]
        case .dropSign: return [try rewritePercent(base, drop: true)]
        case .either: return [try rewritePercent(base, drop: false), try rewritePercent(base, drop: true)]
        }
    }

    private func containsPercent(_ e: Expr) -> Bool {
        if case .percent = e { return true }
        return e.children.contains(where: containsPercent)
    }

    private func rewritePercent(_ e: Expr, drop: Bool) throws(MathVerifyError) -> Expr {
        try budget.tick()
        if case .percent(let x) = e { return drop ? x : .div(x, .number(Rational(100))) }
        return try e.mapChildren { (c) throws(MathVerifyError) -> Expr in try rewritePercent(c, drop: drop) }
    }

    func canonical(_ e: Expr) throws(MathVerifyError) -> Expr {
        try budget.nested { () throws(MathVerifyError) -> Expr in
            try budget.tick()
            if !e.isCompound {
                // Matrix arithmetic is carried out (gap I): `A + B`, `I \cdot A`, `2A`.
                if e.mentionsMatrix {
                    guard let m = try matrixValue(e) else {
                        throw .undefined("matrix arithmetic that cannot be carried out (shapes or operations)")
                    }
                    return .matrix(m)
                }
                // A scalar answer: drop its units, then spell out its `±` choices.
                let scalar = options.dropUnits ? dropUnits(e) : e
                let expanded = try expandPlusMinus(scalar)
                return expanded.count == 1 ? expanded[0] : .list(expanded)
            }
            let e = try e.mapChildren { (c) throws(MathVerifyError) -> Expr in try canonical(c) }
            switch e {
            case .relation(let terms, let ops):
                let (t, o) = Canonicalizer.simplifiedChain(terms, ops)
                if o.isEmpty { return t[0] }
                return try relation(t, o) ?? .relation(t, o)
            case .list(let items) where items.count == 1:
                return items[0]
            case .tuple(let items) where items.count == 1:
                return items[0]
            case .list(let items) where items.contains(where: { if case .list = $0 { true } else { false } }):
                // `1 ± √2, 3` → one flat list.
                return .list(
                    items.flatMap { (item: Expr) -> [Expr] in
                        if case .list(let inner) = item { return inner }
                        return [item]
                    })
            default:
                return e
            }
        }
    }

    private func isUnit(_ e: Expr) -> Bool {
        switch e {
        case .text(let t): return !t.isEmpty || true
        case .pow(let b, _): return isUnit(b)
        case .mul(let f): return f.allSatisfy(isUnit)
        case .div(let a, let b): return isUnit(a) && isUnit(b)
        default: return false
        }
    }

    /// `dropUnit` applied through a scalar: `480 + 480\sqrt{3}\text{ feet}` → `480 + 480\sqrt{3}`.
    private func dropUnits(_ e: Expr) -> Expr {
        let inner = (try? e.mapChildren { (c: Expr) throws(MathVerifyError) -> Expr in dropUnits(c) }) ?? e
        return dropUnit(inner)
    }

    /// `5 \text{ cm}^2` → 5; `\$ 18.90` → 18.90; leaves pure text alone.
    private func dropUnit(_ e: Expr) -> Expr {
        switch e {
        case .mul(let factors):
            // A date is not its day: `\text{June 20}` keeps its word (and is not 20).
            if case .text(let t)? = factors.first, Canonicalizer.months.contains(t) { return e }
            let kept = factors.filter { !isUnit($0) }
            if kept.isEmpty || kept.count == factors.count { return e }
            return kept.count == 1 ? kept[0] : .mul(kept)
        case .div(let a, let b) where isUnit(b) && !isUnit(a):
            return a
        default:
            return e
        }
    }

    /// All sign choices of the `±` in scalar `e` (at most 16), or `[e]` without `±`.
    private func expandPlusMinus(_ e: Expr) throws(MathVerifyError) -> [Expr] {
        try budget.tick()
        guard e.containsPlusMinus else { return [e] }
        if case .plusMinus(let a, let b) = e {
            var out = [Expr]()
            for x in try expandPlusMinus(a) {
                for y in try expandPlusMinus(b) {
                    out.append(.add([x, y]))
                    out.append(.add([x, .neg(y)]))
                }
            }
            if out.count > 16 { throw .overBudget(limit: "± choices", value: 16) }
            return out
        }
        // Choose each child's sign independently and rebuild the node.
        var results: [[Expr]] = [[]]
        for child in e.children {
            let variants = try expandPlusMinus(child)
            results = results.flatMap { prefix in variants.map { prefix + [$0] } }
            if results.count > 16 { throw .overBudget(limit: "± choices", value: 16) }
        }
        return results.map { e.replacingChildren($0) }
    }
}

extension Expr {
    /// Direct sub-expressions.
    var children: [Expr] {
        switch self {
        case .number, .symbol, .constant, .text: return []
        case .add(let xs), .mul(let xs), .list(let xs), .set(let xs), .tuple(let xs), .union(let xs),
            .function(_, let xs), .relation(let xs, _):
            return xs
        case .neg(let x), .factorial(let x), .percent(let x): return [x]
        case .div(let a, let b), .pow(let a, let b), .plusMinus(let a, let b), .interval(let a, let b, _, _):
            return [a, b]
        case .matrix(let rows): return rows.flatMap { $0 }
        }
    }

    /// The same node with `transform` applied to each direct sub-expression.
    func mapChildren(_ transform: (Expr) throws(MathVerifyError) -> Expr) throws(MathVerifyError) -> Expr {
        func all(_ xs: [Expr]) throws(MathVerifyError) -> [Expr] {
            var out = [Expr]()
            out.reserveCapacity(xs.count)
            for x in xs { out.append(try transform(x)) }
            return out
        }
        switch self {
        case .number, .symbol, .constant, .text: return self
        case .add(let xs): return .add(try all(xs))
        case .mul(let xs): return .mul(try all(xs))
        case .list(let xs): return .list(try all(xs))
        case .set(let xs): return .set(try all(xs))
        case .tuple(let xs): return .tuple(try all(xs))
        case .union(let xs): return .union(try all(xs))
        case .function(let name, let xs): return .function(name, try all(xs))
        case .relation(let xs, let ops): return .relation(try all(xs), ops)
        case .neg(let x): return .neg(try transform(x))
        case .factorial(let x): return .factorial(try transform(x))
        case .percent(let x): return .percent(try transform(x))
        case .div(let a, let b): return .div(try transform(a), try transform(b))
        case .pow(let a, let b): return .pow(try transform(a), try transform(b))
        case .plusMinus(let a, let b): return .plusMinus(try transform(a), try transform(b))
        case .interval(let a, let b, let lc, let uc):
            return .interval(try transform(a), try transform(b), lowerClosed: lc, upperClosed: uc)
        case .matrix(let rows):
            var out = [[Expr]]()
            for r in rows { out.append(try all(r)) }
            return .matrix(out)
        }
    }

    var containsPlusMinus: Bool {
        if case .plusMinus = self { return true }
        return children.contains { $0.containsPlusMinus }
    }

    /// The same node with its direct sub-expressions replaced by `new` (same count and order as `children`).
    func replacingChildren(_ new: [Expr]) -> Expr {
        var index = 0
        // `mapChildren` visits children in `children` order.
        let result = try? mapChildren { (_: Expr) throws(MathVerifyError) -> Expr in
            defer { index += 1 }
            return new[index]
        }
        return result ?? self
    }

    /// True when the symbol `name` occurs in the expression.
    func mentions(_ name: String) -> Bool {
        if case .symbol(let s) = self { return s == name }
        return children.contains { $0.mentions(name) }
    }

    /// The expression with every occurrence of symbol `name` replaced by `value`.
    func substituting(_ name: String, with value: Expr) -> Expr {
        if case .symbol(let s) = self, s == name { return value }
        return (try? mapChildren { (c: Expr) throws(MathVerifyError) -> Expr in c.substituting(name, with: value) })
            ?? self
    }

    /// Free variables, sorted.
    var symbols: [String] {
        var found = Set<String>()
        func walk(_ e: Expr) {
            if case .symbol(let s) = e { found.insert(s) }
            for c in e.children { walk(c) }
        }
        walk(self)
        return found.sorted()
    }
}
