/// An exact rational number `numerator / denominator` in lowest terms with a positive denominator.
struct Rational: Sendable, Hashable, Comparable, CustomStringConvertible {
    private(set) var numerator: BigInt
    private(set) var denominator: BigInt

    init(_ n: BigInt, _ d: BigInt = .one) {
        precondition(!d.isZero, "Rational with zero denominator")
        var n = n
        var d = d
        if d.isNegative {
            n = -n
            d = -d
        }
        if d == .one || n.isZero {
            numerator = n
            denominator = n.isZero ? .one : d
            return
        }
        let g = BigInt.gcd(n, d)
        if g != .one {
            n = n / g
            d = d / g
        }
        numerator = n
        denominator = d
    }

    init(_ n: Int, _ d: Int = 1) { self.init(BigInt(n), BigInt(d)) }

    static let zero = Rational(0)
    static let one = Rational(1)

    var isZero: Bool { numerator.isZero }
    var isInteger: Bool { denominator == .one }
    var isNegative: Bool { numerator.isNegative }
    /// Bits needed for numerator and denominator together: the size the budget checks.
    var bitWidth: Int { numerator.bitWidth + denominator.bitWidth }
    /// Nearest `Double`; numerators and denominators beyond `Double`'s range are scaled to their top 60 bits first,
    /// so a quotient that is representable stays finite.
    var doubleValue: Double {
        let n = numerator.doubleValue
        let d = denominator.doubleValue
        if n.isFinite && d.isFinite { return n / d }
        func top(_ x: BigInt) -> (Double, Int) {
            let drop = max(0, x.bitWidth - 60)
            return ((x.magnitude / BigInt(1).shiftedLeft(drop)).doubleValue, drop)
        }
        let (nd, nDrop) = top(numerator)
        let (dd, dDrop) = top(denominator)
        let v = (nd / dd) * Rational.pow2(nDrop - dDrop)
        return numerator.isNegative ? -v : v
    }

    private static func pow2(_ e: Int) -> Double {
        if e > 2000 { return .infinity }
        if e < -2000 { return 0 }
        var r = 1.0
        var k = abs(e)
        var b = 2.0
        while k > 0 {
            if k & 1 == 1 { r *= b }
            b *= b
            k >>= 1
        }
        return e < 0 ? 1 / r : r
    }

    static func + (a: Rational, b: Rational) -> Rational {
        if a.denominator == b.denominator { return Rational(a.numerator + b.numerator, a.denominator) }
        return Rational(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)
    }
    static prefix func - (a: Rational) -> Rational {
        var r = a
        r.numerator = -a.numerator
        return r
    }
    static func - (a: Rational, b: Rational) -> Rational { a + (-b) }
    static func * (a: Rational, b: Rational) -> Rational {
        Rational(a.numerator * b.numerator, a.denominator * b.denominator)
    }
    /// Division; nil when `b` is zero.
    func divided(by b: Rational) -> Rational? {
        if b.isZero { return nil }
        return Rational(numerator * b.denominator, denominator * b.numerator)
    }

    /// Integer power (negative exponents invert); nil for 0 to a negative power.
    func power(_ e: Int) -> Rational? {
        if e >= 0 { return Rational(numerator.power(e), denominator.power(e)) }
        if isZero { return nil }
        return Rational(denominator.power(-e), numerator.power(-e))
    }

    static func < (a: Rational, b: Rational) -> Bool {
        a.numerator * b.denominator < b.numerator * a.denominator
    }

    var description: String { isInteger ? numerator.description : "\(numerator)/\(denominator)" }
}

extension BigInt {
    /// `self * 2^n` for n >= 0.
    func shiftedLeft(_ n: Int) -> BigInt {
        var r = self
        var k = n
        while k >= 30 {
            r = r * BigInt(1 << 30)
            k -= 30
        }
        return r * BigInt(1 << k)
    }
}
