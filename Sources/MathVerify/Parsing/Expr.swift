/// A parsed answer: a scalar expression or a compound (list, set, tuple, interval, matrix, relation, text).
///
/// Subtraction is `add` with `neg`; sets and bare comma lists compare unordered, tuples ordered.
indirect enum Expr: Sendable, Hashable, CustomStringConvertible {
    case number(Rational)
    /// A variable such as `x`, `x_1`, `R`.
    case symbol(String)
    case constant(Constant)
    case add([Expr])
    case mul([Expr])
    case neg(Expr)
    case div(Expr, Expr)
    case pow(Expr, Expr)
    /// A named function (`sin`, `log`, `sqrt`, `abs`, `floor`, `binom`, ...); `log` with two arguments is (base, x).
    case function(String, [Expr])
    case factorial(Expr)
    case percent(Expr)
    /// `a ± b`; a leading `±b` is `plusMinus(0, b)`.
    case plusMinus(Expr, Expr)
    /// Words that are not mathematics (`\text{east}`, `inches`, `(C)`), lowercased and trimmed.
    case text(String)
    /// A bare comma (or "and") separated list of answers: unordered.
    case list([Expr])
    case set([Expr])
    case tuple([Expr])
    case interval(Expr, Expr, lowerClosed: Bool, upperClosed: Bool)
    case union([Expr])
    case matrix([[Expr]])
    /// A chain `e0 op0 e1 op1 e2 ...` of comparisons.
    case relation([Expr], [Relation])

    enum Constant: String, Sendable, Hashable { case pi, e, i, infinity }

    enum Relation: String, Sendable, Hashable {
        case equal = "="
        case less = "<"
        case lessEqual = "<="
        case greater = ">"
        case greaterEqual = ">="
        case notEqual = "!="
        case member = "∈"
        /// `\approx`: the side after it approximates the one before (`x = 1/3 \approx 0.33`).
        case approx = "≈"
    }

    var description: String {
        switch self {
        case .number(let r): return r.description
        case .symbol(let s): return s
        case .constant(let c): return c == .infinity ? "oo" : c.rawValue
        case .add(let terms): return "(" + terms.map(\.description).joined(separator: " + ") + ")"
        case .mul(let factors): return factors.map(\.description).joined(separator: "*")
        case .neg(let e): return "-\(e)"
        case .div(let a, let b): return "(\(a))/(\(b))"
        case .pow(let a, let b): return "(\(a))^(\(b))"
        case .function(let name, let args): return name + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .factorial(let e): return "(\(e))!"
        case .percent(let e): return "(\(e))%"
        case .plusMinus(let a, let b): return "(\(a) ± \(b))"
        case .text(let t): return "\"\(t)\""
        case .list(let items): return items.map(\.description).joined(separator: ", ")
        case .set(let items): return "{" + items.map(\.description).joined(separator: ", ") + "}"
        case .tuple(let items): return "(" + items.map(\.description).joined(separator: ", ") + ")"
        case .interval(let a, let b, let lc, let uc): return (lc ? "[" : "(") + "\(a), \(b)" + (uc ? "]" : ")")
        case .union(let parts): return parts.map(\.description).joined(separator: " ∪ ")
        case .matrix(let rows):
            return "["
                + rows.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" }
                .joined(separator: ", ") + "]"
        case .relation(let terms, let ops):
            var s = terms[0].description
            for (op, t) in zip(ops, terms.dropFirst()) { s += " \(op.rawValue) \(t)" }
            return s
        }
    }

    /// True for values that are not single numbers (lists, sets, tuples, intervals, matrices, relations, text).
    var isCompound: Bool {
        switch self {
        case .list, .set, .tuple, .interval, .union, .matrix, .relation, .text: return true
        default: return false
        }
    }

    /// True when words (`.text`) occur in the expression.
    var containsText: Bool {
        if case .text = self { return true }
        return children.contains { $0.containsText }
    }

    /// True when the tree is deeper than `limit` (checked without recursion, so any tree is safe to ask).
    func depthExceeds(_ limit: Int) -> Bool {
        var stack: [(Expr, Int)] = [(self, 1)]
        while let (e, d) = stack.popLast() {
            if d > limit { return true }
            for c in e.children { stack.append((c, d + 1)) }
        }
        return false
    }

    /// True for the number 0 as written.
    var isZeroNumber: Bool {
        if case .number(let r) = self { return r.isZero }
        return false
    }

    /// True for an inequality or a chain of them (`x > 1`, `-2 \le x \le 7`).
    var isInequality: Bool {
        guard case .relation(_, let ops) = self else { return false }
        return ops.allSatisfy { [.less, .lessEqual, .greater, .greaterEqual].contains($0) }
    }

    /// The expression with its variables renamed to those of `other` when both have the same number of them
    /// (math-verify's `strict=False`: `f(y)` read as `f(x)`). Variables both share keep their names; the others are
    /// paired in sorted order.
    func renamingVariables(as other: Expr) -> Expr {
        let mine = symbols
        let theirs = other.symbols
        guard mine.count == theirs.count, mine != theirs else { return self }
        let shared = Set(mine).intersection(theirs)
        let from = mine.filter { !shared.contains($0) }
        let to = theirs.filter { !shared.contains($0) }
        // Through placeholder names, so that a swap (x↔y) does not merge two variables.
        var e = self
        for (k, name) in from.enumerated() { e = e.substituting(name, with: .symbol("\u{0}\(k)")) }
        for (k, name) in to.enumerated() { e = e.substituting("\u{0}\(k)", with: .symbol(name)) }
        return e
    }
}
