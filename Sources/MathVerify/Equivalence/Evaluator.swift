#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Evaluates scalar expressions: exactly on rationals where possible, else in complex doubles. Variables take their
/// values from `environment` (no environment: a variable is an error). Exact results are limited to
/// `Budget.maxBits`; factorials and binomials to arguments where that limit can hold.
struct Evaluator {
    let budget: Budget
    let environment: [String: Complex]
    let degreesAsNumbers: Bool

    static let trigonometric: Set<String> = ["sin", "cos", "tan", "sec", "csc", "cot"]

    func evaluate(_ e: Expr) throws(MathVerifyError) -> Value {
        try budget.nested { () throws(MathVerifyError) -> Value in try evaluateNode(e) }
    }

    private func exact(_ r: Rational) throws(MathVerifyError) -> Value {
        try budget.checkBits(r.bitWidth)
        try budget.tick(1 + r.bitWidth / 256)
        return .exact(r)
    }

    private func evaluateNode(_ e: Expr) throws(MathVerifyError) -> Value {
        try budget.tick()
        switch e {
        case .number(let r):
            return .exact(r)
        case .symbol(let name):
            guard let v = environment[name] else { throw .undefined("free variable \(name)") }
            return .approx(v)
        case .constant(let c):
            switch c {
            case .pi: return .approx(Complex(Double.pi))
            case .e: return .approx(Complex(M_E))
            case .i: return .approx(Complex.i)
            case .infinity: return .approx(Complex(.infinity))
            }
        case .add(let terms):
            guard !terms.isEmpty else { return .exact(.zero) }
            var acc = try evaluate(terms[0])
            for t in terms.dropFirst() { acc = try add(acc, try evaluate(t)) }
            return acc
        case .neg(let x):
            switch try evaluate(x) {
            case .exact(let r): return .exact(-r)
            case .approx(let c): return .approx(-c)
            }
        case .mul(let factors):
            guard !factors.isEmpty else { return .exact(.one) }
            var acc = try evaluate(factors[0])
            for f in factors.dropFirst() { acc = try multiply(acc, try evaluate(f)) }
            return acc
        case .div(let a, let b):
            return try divide(try evaluate(a), try evaluate(b))
        case .pow(let a, let b):
            return try power(try evaluate(a), try evaluate(b))
        case .factorial(let x):
            return try factorial(try evaluate(x))
        case .percent(let x):
            return try divide(try evaluate(x), .exact(Rational(100)))
        case .function(let name, let args):
            // `\sin 60^\circ`: inside a trigonometric function a degree sign always means π/180.
            let evaluator =
                degreesAsNumbers && Evaluator.trigonometric.contains(name) && args.contains(where: \.mentionsDegrees)
                ? Evaluator(budget: budget, environment: environment, degreesAsNumbers: false) : self
            return try function(
                name, try args.map { (a) throws(MathVerifyError) -> Value in try evaluator.evaluate(a) })
        case .plusMinus:
            throw .undefined("± in a scalar")
        default:
            throw .undefined("not a number: \(e)")
        }
    }

    private func add(_ a: Value, _ b: Value) throws(MathVerifyError) -> Value {
        if case .exact(let x) = a, case .exact(let y) = b { return try exact(x + y) }
        return .approx(a.complex + b.complex)
    }

    private func multiply(_ a: Value, _ b: Value) throws(MathVerifyError) -> Value {
        if case .exact(let x) = a, case .exact(let y) = b {
            try budget.checkBits(x.bitWidth + y.bitWidth)
            return try exact(x * y)
        }
        return .approx(a.complex * b.complex)
    }

    private func divide(_ a: Value, _ b: Value) throws(MathVerifyError) -> Value {
        if case .exact(let x) = a, case .exact(let y) = b {
            guard let q = x.divided(by: y) else { throw .undefined("division by zero") }
            return try exact(q)
        }
        let d = b.complex
        if d.re == 0 && d.im == 0 { throw .undefined("division by zero") }
        return .approx(a.complex / d)
    }

    private func power(_ a: Value, _ b: Value) throws(MathVerifyError) -> Value {
        if case .exact(let x) = a, case .exact(let y) = b {
            if y.isInteger {
                guard let n = y.numerator.asInt, n.magnitude < 1 << 40 else {
                    if x.isZero || x == .one { return .exact(x) }
                    throw .overBudget(limit: "number bits", value: budget.maxBits)
                }
                if x == .one || (x.isZero && n > 0) { return .exact(x) }
                if x == Rational(-1) { return .exact(n % 2 == 0 ? .one : x) }
                try budget.checkBits(x.bitWidth * Int(n.magnitude))
                guard let r = x.power(n) else { throw .undefined("0 to a negative power") }
                return try exact(r)
            }
            // Rational exponent p/q: exact when the q-th root of the base is rational.
            if let q = y.denominator.asInt, q <= 64, let p = y.numerator.asInt, !x.isNegative,
                let root = try exactRoot(x, q)
            {
                return try power(.exact(root), .exact(Rational(p)))
            }
        }
        let base = a.complex
        let exponent = b.complex
        if !base.isFinite || !exponent.isFinite { return .approx(base.power(exponent)) }
        if base.magnitude > 1, exponent.re * log(base.magnitude) > 1400 {
            throw .overBudget(limit: "number size", value: budget.maxBits)
        }
        return .approx(base.power(exponent))
    }

    /// The q-th root of a non-negative rational when numerator and denominator are perfect q-th powers.
    private func exactRoot(_ x: Rational, _ q: Int) throws(MathVerifyError) -> Rational? {
        guard let n = integerRoot(x.numerator, q), let d = integerRoot(x.denominator, q) else { return nil }
        return Rational(n, d)
    }

    private func integerRoot(_ n: BigInt, _ q: Int) -> BigInt? {
        if n.isZero || n == .one { return n }
        guard n.bitWidth <= 1000 else { return nil }
        let guess = (pow(n.doubleValue, 1 / Double(q))).rounded()
        guard guess.isFinite, guess < 9e15 else { return nil }
        for candidate in [Int(guess) - 1, Int(guess), Int(guess) + 1] where candidate > 0 {
            if BigInt(candidate).power(q) == n { return BigInt(candidate) }
        }
        return nil
    }

    private func factorial(_ v: Value) throws(MathVerifyError) -> Value {
        guard case .exact(let r) = v, r.isInteger, !r.isNegative else {
            let x = v.complex
            guard x.im == 0 else { throw .undefined("factorial of a complex number") }
            if x.re > 170 { throw .overBudget(limit: "factorial argument", value: 170) }
            return .approx(Complex(tgamma(x.re + 1)))
        }
        guard let n = r.numerator.asInt, n <= 1_000 else {
            throw .overBudget(limit: "factorial argument", value: 1_000)
        }
        var acc = BigInt.one
        if n >= 2 {
            for k in 2...n {
                try budget.tick(1 + acc.bitWidth / 256)
                acc = acc * BigInt(k)
            }
        }
        return try exact(Rational(acc))
    }

    private func function(_ name: String, _ args: [Value]) throws(MathVerifyError) -> Value {
        guard let x = args.first else { throw .undefined("\(name) without argument") }
        switch name {
        case "sqrt":
            if case .exact(let r) = x, !r.isNegative, let root = try exactRoot(r, 2) { return .exact(root) }
            return .approx(x.complex.squareRoot)
        case "abs":
            if case .exact(let r) = x { return .exact(r.isNegative ? -r : r) }
            return .approx(Complex(x.complex.magnitude))
        case "base":
            // `2516_8` is compared by its digits (the question fixes the base); `Comparer` checks both bases.
            return x
        case "degree":
            if degreesAsNumbers { return x }
            return try multiply(x, .approx(Complex(Double.pi / 180)))
        case "floor", "ceil":
            if case .exact(let r) = x {
                let (q, rem) = r.numerator.quotientAndRemainder(dividingBy: r.denominator)
                var result = q
                if !rem.isZero {
                    if name == "floor" && r.isNegative { result = result - .one }
                    if name == "ceil" && !r.isNegative { result = result + .one }
                }
                return .exact(Rational(result))
            }
            let c = x.complex
            return .approx(Complex(name == "floor" ? c.re.rounded(.down) : c.re.rounded(.up)))
        case "binom":
            guard args.count == 2, case .exact(let n) = args[0], case .exact(let k) = args[1], n.isInteger,
                k.isInteger, let ni = n.numerator.asInt, let ki = k.numerator.asInt
            else {
                throw .undefined("binomial of non-integers")
            }
            if ki < 0 || ki > ni { return .exact(.zero) }
            guard ni <= 100_000, min(ki, ni - ki) <= 2_000 else {
                throw .overBudget(limit: "binomial size", value: 2_000)
            }
            var acc = BigInt.one
            let kk = min(ki, ni - ki)
            if kk > 0 {
                for j in 1...kk {
                    try budget.tick(1 + acc.bitWidth / 256)
                    acc = acc * BigInt(ni - kk + j) / BigInt(j)
                }
            }
            return try exact(Rational(acc))
        case "gcd", "lcm":
            var ints = [BigInt]()
            for a in args {
                guard case .exact(let r) = a, r.isInteger else { throw .undefined("\(name) of non-integers") }
                ints.append(r.numerator.magnitude)
            }
            var acc = ints[0]
            for v in ints.dropFirst() {
                try budget.tick()
                if name == "gcd" {
                    acc = BigInt.gcd(acc, v)
                } else {
                    let g = BigInt.gcd(acc, v)
                    acc = g.isZero ? .zero : acc / g * v
                }
            }
            return try exact(Rational(acc))
        case "max", "min":
            let sorted = args.map { ($0, $0.complex.re) }.sorted { $0.1 < $1.1 }
            return name == "max" ? sorted.last!.0 : sorted.first!.0
        case "log" where args.count == 2:
            return try divide(.approx(args[1].complex.log), .approx(args[0].complex.log))
        case "log", "ln":
            if case .exact(let r) = x, r == .one { return .exact(.zero) }
            return .approx(x.complex.log)
        case "log10":
            return .approx(x.complex.log / Complex(log(10.0)))
        case "exp": return .approx(x.complex.exp)
        default: break
        }
        let z = x.complex
        if case .exact(let r) = x, r.isZero, ["sin", "tan", "asin", "atan", "sinh", "tanh"].contains(name) {
            return .exact(.zero)
        }
        switch name {
        case "sin": return .approx(z.sine)
        case "cos": return .approx(z.cosine)
        case "tan": return .approx(z.sine / z.cosine)
        case "sec": return .approx(Complex(1) / z.cosine)
        case "csc": return .approx(Complex(1) / z.sine)
        case "cot": return .approx(z.cosine / z.sine)
        case "asin": return .approx(z.arcsine)
        case "acos": return .approx(Complex(Double.pi / 2) - z.arcsine)
        case "atan": return .approx(z.arctangent)
        case "acot": return .approx((Complex(1) / z).arctangent)
        case "asec": return .approx((Complex(1) / z).arcsineComplement)
        case "acsc": return .approx((Complex(1) / z).arcsine)
        case "sinh": return .approx((z.exp - (-z).exp) / Complex(2))
        case "cosh": return .approx((z.exp + (-z).exp) / Complex(2))
        case "tanh": return .approx((z.exp - (-z).exp) / (z.exp + (-z).exp))
        default: throw .undefined("unknown function \(name)")
        }
    }
}

extension Complex {
    /// acos(z) = π/2 − asin(z).
    fileprivate var arcsineComplement: Complex { Complex(Double.pi / 2) - arcsine }
}

extension Expr {
    /// True when a degree sign occurs in the expression.
    var mentionsDegrees: Bool {
        if case .function("degree", _) = self { return true }
        return children.contains { $0.mentionsDegrees }
    }
}
