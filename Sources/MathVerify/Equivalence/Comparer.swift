/// Decides whether two canonical answers are equivalent.
///
/// - Numbers without variables: exactly when both are rational, else within the tolerance of `Options`.
/// - Expressions with variables: equal values at `Options.symbolicPoints` seeded random points in (0.5, 2.5) for
///   each variable (identities that hold on the positive reals, as a grader reading `\sqrt{x^2}` as `x` expects).
/// - Lists and sets unordered (when `unorderedLists`), tuples ordered, intervals with closedness, matrices by shape.
/// - Equations and inequalities left after canonicalization: `lhs - rhs` proportional (positively for inequalities).
struct Comparer {
    let options: MathVerify.Options
    let budget: Budget

    /// Why two answers compared as they did.
    enum Outcome {
        case equal(String)
        case different(String)
        var isEqual: Bool { if case .equal = self { return true } else { return false } }
    }

    /// Compares the gold `a` with the prediction `b`. Reasons name the prediction's value first ("41 ≠ 42" for a
    /// prediction of 41 against a gold of 42), as the reward's reason reads: "extracted 41, expected 42: 41 ≠ 42".
    func compare(_ a: Expr, _ b: Expr) throws(MathVerifyError) -> Outcome {
        try budget.nested { () throws(MathVerifyError) -> Outcome in try compareNode(a, b) }
    }

    private func compareNode(_ a: Expr, _ b: Expr) throws(MathVerifyError) -> Outcome {
        try budget.tick()
        // An equation against a non-relation: compare the value it states (`x = 3` vs `3`).
        let aIsRelation = if case .relation = a { true } else { false }
        let bIsRelation = if case .relation = b { true } else { false }
        if aIsRelation != bIsRelation {
            if aIsRelation, let v = Canonicalizer.equationValue(a, options: options) { return try compare(v, b) }
            if bIsRelation, let v = Canonicalizer.equationValue(b, options: options) { return try compare(a, v) }
        }
        switch (a, b) {
        case (.text(let x), .text(let y)), (.text(let x), .symbol(let y)), (.symbol(let x), .text(let y)):
            // A choice letter may parse as a variable on one side: `\text{(C)}` vs `C`.
            return normalizedText(x) == normalizedText(y) ? .equal("same text") : .different("different text")
        case (.list(let xs), .list(let ys)), (.set(let xs), .set(let ys)), (.list(let xs), .set(let ys)),
            (.set(let xs), .list(let ys)):
            return try unordered(xs, ys)
        case (.union(let xs), .union(let ys)), (.union(let xs), .list(let ys)), (.list(let xs), .union(let ys)):
            return try unordered(xs, ys)
        case (.tuple(let xs), .tuple(let ys)):
            return try ordered(xs, ys)
        case (.tuple(let xs), .list(let ys)):
            // A gold tuple keeps its order against a bare list (`(3, 1)` is not `{1, 3}`).
            return try ordered(xs, ys)
        case (.list(let xs), .tuple(let ys)):
            return options.unorderedLists ? try unordered(xs, ys) : try ordered(xs, ys)
        case (.interval(let a1, let b1, let l1, let u1), .interval(let a2, let b2, let l2, let u2)):
            if l1 != l2 || u1 != u2 { return .different("interval ends differ in closedness") }
            return try ordered([a1, b1], [a2, b2])
        case (.interval(let a1, let b1, false, false), .tuple(let ys)),
            (.tuple(let ys), .interval(let a1, let b1, false, false)):
            return try ordered([a1, b1], ys)
        case (.matrix(let r1), .matrix(let r2)):
            guard r1.count == r2.count, zip(r1, r2).allSatisfy({ $0.count == $1.count }) else {
                return .different("matrix shapes differ")
            }
            return try ordered(r1.flatMap { $0 }, r2.flatMap { $0 })
        case (.matrix(let rows), .tuple(let ys)), (.tuple(let ys), .matrix(let rows)):
            guard rows.count == 1 || rows.allSatisfy({ $0.count == 1 }) else { return .different("matrix vs tuple") }
            return try ordered(rows.flatMap { $0 }, ys)
        case (.function("base", let x), .function("base", let y)):
            return try ordered([x[1], x[0]], [y[1], y[0]])
        case (.relation(let t1, let o1), .relation(let t2, let o2)):
            return try relations(t1, o1, t2, o2)
        case (.function("ratio", let xs), .function("ratio", let ys)):
            // Proportional: `7:32` is `14:64`; each part divided by the first.
            guard xs.count == ys.count else { return .different("ratios of \(xs.count) and \(ys.count) parts") }
            // A zero part (`12:00`, a time of day) is not a ratio: the parts compare one by one.
            if xs.contains(where: \.isZeroNumber) || ys.contains(where: \.isZeroNumber) { return try ordered(xs, ys) }
            for k in 1..<xs.count {
                if case .different(let why) = try compare(.div(xs[k], xs[0]), .div(ys[k], ys[0])) {
                    return .different("ratios not proportional: \(why)")
                }
            }
            return .equal("proportional ratios")
        case (.function("ratio", _), _), (_, .function("ratio", _)):
            return .different("a ratio against a value that is not one")
        default:
            break
        }
        if a.isCompound || b.isCompound {
            // A one-element collection against a single value: `{3}` vs `3`.
            if case .set(let xs) = a, xs.count == 1, !b.isCompound { return try compare(xs[0], b) }
            if case .set(let ys) = b, ys.count == 1, !a.isCompound { return try compare(a, ys[0]) }
            // The same value written twice (`\boxed{15\frac{39}{40}}` or `\boxed{\frac{639}{40}}`) is that value.
            if case .list(let xs) = a, !b.isCompound, xs.count <= 8, try distinct(xs).count == 1 {
                return try compare(xs[0], b)
            }
            if case .list(let ys) = b, !a.isCompound, ys.count <= 8, try distinct(ys).count == 1 {
                return try compare(a, ys[0])
            }
            return .different("different kinds of answer")
        }
        return try scalars(a, b)
    }

    private func normalizedText(_ s: String) -> String {
        var t = options.caseInsensitiveText ? s.lowercased() : s
        t = String(t.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "." && $0 != "\\" })
        if t.hasPrefix("("), t.hasSuffix(")"), t.count == 3 { t = String(t.dropFirst().dropLast()) }
        return t
    }

    private func ordered(_ xs: [Expr], _ ys: [Expr]) throws(MathVerifyError) -> Outcome {
        guard xs.count == ys.count else { return .different("\(xs.count) vs \(ys.count) elements") }
        for (x, y) in zip(xs, ys) {
            if case .different(let why) = try compare(x, y) { return .different("element differs: \(why)") }
        }
        return .equal("all elements equal in order")
    }

    private func unordered(_ xs: [Expr], _ ys: [Expr]) throws(MathVerifyError) -> Outcome {
        guard options.unorderedLists else { return try ordered(xs, ys) }
        guard xs.count == ys.count else {
            // Repeated elements count once, as in a set (gap H: `\{1, 2, 2\}` is `\{1, 2\}`).
            let (dx, dy) = (try distinct(xs), try distinct(ys))
            if dx.count == xs.count && dy.count == ys.count || dx.count != dy.count {
                return .different("\(xs.count) vs \(ys.count) elements")
            }
            return try unordered(dx, dy)
        }
        var used = [Bool](repeating: false, count: ys.count)
        // Long lists of numbers or expressions: pair elements by their values at the sample points first, so the
        // matching costs n evaluations per side rather than n² comparisons.
        let xSignatures = xs.count > 4 ? try signatures(xs, ys) : nil
        outer: for (i, x) in xs.enumerated() {
            if let (sx, sy) = xSignatures, let mine = sx[i] {
                for j in ys.indices where !used[j] {
                    try budget.tick()
                    if let theirs = sy[j], sameSignature(mine, theirs) {
                        used[j] = true
                        continue outer
                    }
                }
            }
            for (j, y) in ys.enumerated() where !used[j] {
                if try compare(x, y).isEqual {
                    used[j] = true
                    continue outer
                }
            }
            return .different("element \(x) has no match")
        }
        return .equal("same elements")
    }

    /// The elements without those equal to an earlier one (at most 64 elements are deduplicated; longer lists are
    /// returned as they are).
    private func distinct(_ xs: [Expr]) throws(MathVerifyError) -> [Expr] {
        guard xs.count <= 64 else { return xs }
        var kept: [Expr] = []
        for x in xs {
            var seen = false
            for k in kept where try compare(k, x).isEqual {
                seen = true
                break
            }
            if !seen { kept.append(x) }
        }
        return kept
    }

    /// Each scalar element's values at the shared sample points (nil for an element that is compound or undefined
    /// somewhere); nil when the lists hold no scalars.
    private func signatures(_ xs: [Expr], _ ys: [Expr]) throws(MathVerifyError) -> ([[Value]?], [[Value]?])? {
        let all = xs + ys
        guard all.allSatisfy({ !$0.isCompound }) else { return nil }
        var names = Set<String>()
        for e in all { names.formUnion(e.symbols) }
        let environments = names.isEmpty ? [[:]] : points(names.sorted())
        func signature(_ e: Expr) throws(MathVerifyError) -> [Value]? {
            var values = [Value]()
            for env in environments {
                try budget.tick(4)
                let evaluator = Evaluator(budget: budget, environment: env, degreesAsNumbers: options.dropDegrees)
                do {
                    values.append(try evaluator.evaluate(e))
                } catch {
                    if case .overBudget = error { throw error }
                    return nil
                }
            }
            return values
        }
        var sx = [[Value]?]()
        var sy = [[Value]?]()
        for x in xs { sx.append(try signature(x)) }
        for y in ys { sy.append(try signature(y)) }
        return (sx, sy)
    }

    private func sameSignature(_ a: [Value], _ b: [Value]) -> Bool {
        for (x, y) in zip(a, b) {
            if case .exact(let p) = x, case .exact(let q) = y {
                if p != q { return false }
            } else if !close(x.complex, y.complex) || !x.complex.isFinite {
                return false
            }
        }
        return true
    }

    private func relations(_ t1: [Expr], _ o1: [Expr.Relation], _ t2: [Expr], _ o2: [Expr.Relation])
        throws(MathVerifyError) -> Outcome
    {
        guard t1.count == 2, t2.count == 2 else {
            guard o1 == o2 else { return .different("different relations") }
            return try ordered(t1, t2)
        }
        func flipped(_ r: Expr.Relation) -> Expr.Relation {
            switch r {
            case .less: return .greater
            case .greater: return .less
            case .lessEqual: return .greaterEqual
            case .greaterEqual: return .lessEqual
            default: return r
            }
        }
        var rhs2 = t2
        var op2 = o2[0]
        if op2 != o1[0] && flipped(op2) == o1[0] {
            rhs2 = [t2[1], t2[0]]
            op2 = flipped(op2)
        }
        guard op2 == o1[0] else { return .different("different relations") }
        if try ordered(t1, rhs2).isEqual { return .equal("same sides") }
        // lhs - rhs proportional: equations by any nonzero factor, inequalities by a positive one.
        let d1 = Expr.add([t1[0], .neg(t1[1])])
        let d2 = Expr.add([rhs2[0], .neg(rhs2[1])])
        let positiveOnly = op2 != .equal && op2 != .notEqual
        return try proportional(d1, d2, positiveOnly: positiveOnly)
            ? .equal("equivalent relations") : .different("different relations")
    }

    // MARK: Scalars

    private func scalars(_ a: Expr, _ b: Expr) throws(MathVerifyError) -> Outcome {
        try budget.tick(8)  // the fixed cost of a comparison (sets, environments), so the step budget bounds time
        let variables = Array(Set(a.symbols + b.symbols)).sorted()
        if variables.isEmpty {
            let evaluator = Evaluator(budget: budget, environment: [:], degreesAsNumbers: options.dropDegrees)
            let x = try evaluator.evaluate(a)
            let y = try evaluator.evaluate(b)
            if case .exact(let p) = x, case .exact(let q) = y {
                if p == q { return .equal("equal exactly") }
                if roundedDecimal(p, matches: y) || roundedDecimal(q, matches: x) {
                    return .equal("equal to the decimal's digits")
                }
                return .different("\(q) ≠ \(p)")
            }
            if close(x.complex, y.complex) { return .equal("equal within tolerance") }
            if case .exact(let p) = x, roundedDecimal(p, matches: y) { return .equal("equal to the decimal's digits") }
            if case .exact(let q) = y, roundedDecimal(q, matches: x) { return .equal("equal to the decimal's digits") }
            return .different("\(y) ≠ \(x)")
        }
        var agreeing = 0
        for env in points(variables) {
            try budget.tick(4)
            let evaluator = Evaluator(budget: budget, environment: env, degreesAsNumbers: options.dropDegrees)
            let x: Complex
            let y: Complex
            do {
                x = try evaluator.evaluate(a).complex
            } catch let error {
                if case .overBudget = error { throw error }
                continue
            }
            do {
                y = try evaluator.evaluate(b).complex
            } catch let error {
                if case .overBudget = error { throw error }
                return .different("defined at a point where the other is not")
            }
            if !x.isFinite && !y.isFinite { continue }
            if !close(x, y) { return .different("differ at a sample point") }
            agreeing += 1
        }
        return agreeing >= 2 ? .equal("equal at \(agreeing) random points") : .different("too few points where defined")
    }

    /// True when `decimal` has k ≥ `roundedDecimalDigits` fractional digits, `other` has no finite decimal
    /// expansion, and they differ by less than 10^-min(k, 15) (`decimal` is `other` rounded or truncated).
    private func roundedDecimal(_ decimal: Rational, matches other: Value) -> Bool {
        guard let minimum = options.roundedDecimalDigits, let k = Comparer.decimalDigits(decimal), k >= minimum
        else { return false }
        if case .exact(let r) = other {
            if Comparer.decimalDigits(r) != nil { return false }
            // Exactly, to its digits but at most 15 of them (gap K: `0.0833333333333333` is 1/12 to 16 digits;
            // past the 15th a digit is a double's rounding, as `0.14285714285714299` printed for 1/7):
            // |decimal - r| · 10^min(k, 15) < 1.
            let scaled = (decimal - r) * Rational(BigInt(10).power(min(k, 15)))
            return (scaled.isNegative ? -scaled : scaled) < .one
        }
        let v = other.complex
        guard v.im == 0, v.re.isFinite else { return false }
        // Beyond a double's 15-16 significant digits, agreement to double precision is all that can be checked.
        if k > 15 { return abs(decimal.doubleValue - v.re) <= 1e-14 * max(1, abs(v.re)) }
        var scale = 1.0
        for _ in 0..<k { scale *= 10 }
        return abs(decimal.doubleValue - v.re) * scale < 1 + 1e-9
    }

    /// The number of fractional digits of a rational whose denominator divides a power of ten, else nil.
    static func decimalDigits(_ r: Rational) -> Int? {
        guard let d = r.denominator.asInt else { return nil }
        var twos = 0
        var fives = 0
        var n = d
        while n % 2 == 0 {
            n /= 2
            twos += 1
        }
        while n % 5 == 0 {
            n /= 5
            fives += 1
        }
        return n == 1 ? max(twos, fives) : nil
    }

    private func close(_ x: Complex, _ y: Complex) -> Bool {
        x.isClose(to: y, relative: options.relativeTolerance, absolute: options.absoluteTolerance)
    }

    /// Seeded sample points for `variables` (SplitMix64, Steele et al. 2014).
    private func points(_ variables: [String]) -> [[String: Complex]] {
        var state = options.seed
        func nextUnit() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / Double(1 << 53)
        }
        var result = [[String: Complex]]()
        for _ in 0..<max(2, options.symbolicPoints) {
            var env = [String: Complex]()
            for v in variables { env[v] = Complex(0.5 + 2 * nextUnit()) }
            result.append(env)
        }
        return result
    }

    private func proportional(_ a: Expr, _ b: Expr, positiveOnly: Bool) throws(MathVerifyError) -> Bool {
        let variables = Array(Set(a.symbols + b.symbols)).sorted()
        var ratio: Complex?
        var agreeing = 0
        for env in points(variables) {
            let evaluator = Evaluator(budget: budget, environment: env, degreesAsNumbers: options.dropDegrees)
            guard let x = try? evaluator.evaluate(a).complex, let y = try? evaluator.evaluate(b).complex,
                x.isFinite, y.isFinite
            else { continue }
            if y.magnitude < 1e-12 {
                if x.magnitude < 1e-12 { continue }
                return false
            }
            let r = x / y
            if let ratio {
                if !close(r, ratio) { return false }
            } else {
                if r.magnitude < 1e-12 { return false }
                if positiveOnly && (r.re <= 0 || abs(r.im) > 1e-9) { return false }
                ratio = r
            }
            agreeing += 1
        }
        return agreeing >= 2 || (variables.isEmpty && agreeing == 1)
    }
}
