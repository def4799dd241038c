/// Equations and inequalities: what value an equation states, chains and approximations, inequalities as intervals.
extension Canonicalizer {
    /// A chain with its approximations and worked steps set aside (gap E):
    /// - `x \approx 11` is `x = 11`; after an exact side, `\approx` and what follows are dropped
    ///   (`x = 1/3 \approx 0.33` is `x = 1/3`; `1/3 \approx 0.33` is `1/3`, returned as one term and no operator);
    /// - an assignment chain `x = 5+5+1 = 7 = 11` is `x = 11` (its first side, a name, and its last side).
    static func simplifiedChain(_ terms: [Expr], _ ops: [Expr.Relation]) -> ([Expr], [Expr.Relation]) {
        var terms = terms
        var ops = ops
        if let k = ops.firstIndex(of: .approx) {
            if k == 0 && isName(terms[0]) {
                ops[0] = .equal
                if let next = ops.dropFirst().firstIndex(of: .approx) {
                    terms = Array(terms[...next])
                    ops = Array(ops[..<next])
                }
            } else {
                terms = Array(terms[...k])
                ops = Array(ops[..<k])
            }
        }
        if terms.count >= 3, ops.allSatisfy({ $0 == .equal }), isName(terms[0]) {
            return ([terms[0], terms[terms.count - 1]], [.equal])
        }
        return (terms, ops)
    }

    /// True for a label made only of names (gap C): a variable, `AB`, `\frac{NO}{BO}`, `|AB|`, `(p, q)`, `V_1:V_2`,
    /// `f(x)`, `x + y` — no number in it.
    static func isName(_ e: Expr) -> Bool {
        switch e {
        case .symbol: return true
        case .mul(let xs), .add(let xs), .tuple(let xs): return !xs.isEmpty && xs.allSatisfy(isName)
        case .div(let a, let b): return isName(a) && isName(b)
        case .neg(let x): return isName(x)
        case .function("abs", let xs), .function("subscript", let xs), .function("ratio", let xs):
            return xs.allSatisfy(isName)
        default: return false
        }
    }

    /// The value an equation states, when `equationAsValue` allows reading it so: `x = 3`, `x = 1 + 2 = 3`,
    /// `3 = x`, `f(x) = x^2`, a label (`(p, q) = (3, 2)`, `AB = 4`, `A:B = 1`), a chain of three or more sides
    /// (its last). Nil for other relations (`2x - y = -3` stays an equation).
    static func equationValue(_ e: Expr, options: MathVerify.Options) -> Expr? {
        guard options.equationAsValue, case .relation(let terms, let ops) = e, ops.allSatisfy({ $0 == .equal }) else {
            return nil
        }
        let last = terms[terms.count - 1]
        if isName(terms[0]), !terms[0].symbols.contains(where: last.mentions) { return last }
        if terms.count == 2, isName(terms[1]), !terms[1].symbols.contains(where: terms[0].mentions) { return terms[0] }
        // `48 + 24 = 72`: a worked arithmetic chain, read as its result; so is any chain of three or more sides.
        if terms.count >= 3 || terms.allSatisfy({ $0.symbols.isEmpty }) { return last }
        // `g(2) = 5`: a function's name applied to arguments, read as its value.
        if terms.count == 2, case .mul(let factors) = terms[0], factors.count == 2, case .symbol(let name) = factors[0],
            functionNames.contains(name), !terms[1].mentions(name)
        {
            return terms[1]
        }
        return nil
    }

    /// True for the unknown of an inequality: a variable or a function of one (`x`, `f(x)`).
    static func isUnknown(_ e: Expr) -> Bool {
        if case .symbol = e { return true }
        if case .mul(let f) = e, f.count == 2, case .symbol(let name) = f[0], functionNames.contains(name),
            case .symbol = f[1]
        {
            return true
        }
        return false
    }

    /// An inequality in one unknown as the interval (or union) it describes; `x \in S` as `S`; else nil (gap F).
    func relation(_ terms: [Expr], _ ops: [Expr.Relation]) throws(MathVerifyError) -> Expr? {
        if ops.count == 1 && ops[0] == .member, Canonicalizer.isName(terms[0]) { return terms[1] }
        func interval(_ bound: Expr, _ op: Expr.Relation, variableOnLeft: Bool) -> Expr? {
            let inf = Expr.constant(.infinity)
            let below: Bool  // the variable is below the bound
            switch op {
            case .less, .lessEqual: below = variableOnLeft
            case .greater, .greaterEqual: below = !variableOnLeft
            default: return nil
            }
            let closed = op == .lessEqual || op == .greaterEqual
            return below
                ? .interval(.neg(inf), bound, lowerClosed: false, upperClosed: closed)
                : .interval(bound, inf, lowerClosed: closed, upperClosed: false)
        }
        if terms.count == 2, let set = try absoluteBound(terms, ops[0]) { return set }
        if terms.count == 2 {
            if Canonicalizer.isUnknown(terms[0]) { return interval(terms[1], ops[0], variableOnLeft: true) }
            if Canonicalizer.isUnknown(terms[1]) { return interval(terms[0], ops[0], variableOnLeft: false) }
            if let (bound, positive) = try linearBound(terms[0], terms[1]) {
                // a·x + b op 0 with a > 0 is x op -b/a; a < 0 flips the inequality.
                return interval(bound, ops[0], variableOnLeft: positive)
            }
        }
        guard terms.count == 3 else { return nil }
        let increasing = [Expr.Relation.less, .lessEqual]
        let decreasing = [Expr.Relation.greater, .greaterEqual]
        let lower: (Expr, Bool)
        let upper: (Expr, Bool)  // bound and closedness
        if increasing.contains(ops[0]) && increasing.contains(ops[1]) {
            (lower, upper) = ((terms[0], ops[0] == .lessEqual), (terms[2], ops[1] == .lessEqual))
        } else if decreasing.contains(ops[0]) && decreasing.contains(ops[1]) {
            (lower, upper) = ((terms[2], ops[1] == .greaterEqual), (terms[0], ops[0] == .greaterEqual))
        } else {
            return nil
        }
        if Canonicalizer.isUnknown(terms[1]) {
            return .interval(lower.0, upper.0, lowerClosed: lower.1, upperClosed: upper.1)
        }
        // `1 \le |z| \le 3/2` is `[-3/2, -1] ∪ [1, 3/2]`; with a lower bound below zero, `[-3/2, 3/2]`.
        guard case .function("abs", let args) = terms[1], args.count == 1, Canonicalizer.isUnknown(args[0]) else {
            return nil
        }
        let evaluator = Evaluator(budget: budget, environment: [:], degreesAsNumbers: true)
        guard let low = try? evaluator.evaluate(lower.0).complex, low.im == 0, low.isFinite else { return nil }
        if low.re < 0 || (low.re == 0 && lower.1) {
            return .interval(.neg(upper.0), upper.0, lowerClosed: upper.1, upperClosed: upper.1)
        }
        return .union([
            .interval(.neg(upper.0), .neg(lower.0), lowerClosed: upper.1, upperClosed: lower.1),
            .interval(lower.0, upper.0, lowerClosed: lower.1, upperClosed: upper.1),
        ])
    }

    /// `|x| op b` as the set it describes: `|x| \le b` is `[-b, b]` (read as `0 \le |x| \le b`), `|x| > b` is
    /// `(-∞, -b) ∪ (b, ∞)`. Nil when neither side is the absolute value of an unknown.
    func absoluteBound(_ terms: [Expr], _ op: Expr.Relation) throws(MathVerifyError) -> Expr? {
        var op = op
        var (lhs, rhs) = (terms[0], terms[1])
        if case .function("abs", _) = rhs {
            (lhs, rhs) = (rhs, lhs)
            switch op {
            case .less: op = .greater
            case .lessEqual: op = .greaterEqual
            case .greater: op = .less
            case .greaterEqual: op = .lessEqual
            default: return nil
            }
        }
        guard case .function("abs", let args) = lhs, args.count == 1, Canonicalizer.isUnknown(args[0]) else {
            return nil
        }
        switch op {
        case .less, .lessEqual:
            return try relation([.number(.zero), lhs, rhs], [.lessEqual, op])
        case .greater, .greaterEqual:
            let closed = op == .greaterEqual
            let inf = Expr.constant(.infinity)
            return .union([
                .interval(.neg(inf), .neg(rhs), lowerClosed: false, upperClosed: closed),
                .interval(rhs, inf, lowerClosed: closed, upperClosed: false),
            ])
        default:
            return nil
        }
    }

    /// For `lhs op rhs` linear in one variable x (`lhs - rhs = a·x + b`): the bound `-b/a` and whether `a > 0`.
    func linearBound(_ lhs: Expr, _ rhs: Expr) throws(MathVerifyError) -> (Expr, Bool)? {
        let f = Expr.add([lhs, .neg(rhs)])
        let variables = f.symbols
        guard variables.count == 1, let x = variables.first else { return nil }
        func at(_ v: Int) -> Expr { f.substituting(x, with: .number(Rational(v))) }
        let b = at(0)
        let a = Expr.add([at(1), .neg(b)])
        let evaluator = Evaluator(budget: budget, environment: [:], degreesAsNumbers: true)
        guard let av = try? evaluator.evaluate(a).complex, let bv = try? evaluator.evaluate(b).complex,
            let f2 = try? evaluator.evaluate(at(2)).complex, let f5 = try? evaluator.evaluate(at(5)).complex,
            av.im == 0, av.re != 0, av.isFinite, bv.isFinite
        else { return nil }
        // Linear: f(2) = 2a + b and f(5) = 5a + b.
        let tolerance = 1e-9 * (1 + abs(av.re) + abs(bv.re))
        guard (f2 - (Complex(2) * av + bv)).magnitude < tolerance, (f5 - (Complex(5) * av + bv)).magnitude < tolerance
        else { return nil }
        return (.div(.neg(b), a), av.re > 0)
    }
}
