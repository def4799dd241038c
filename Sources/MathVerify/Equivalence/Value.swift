/// The value of a scalar expression: exact when only rational operations on rationals produced it.
enum Value: Sendable, Hashable, CustomStringConvertible {
    case exact(Rational)
    case approx(Complex)

    var complex: Complex {
        switch self {
        case .exact(let r): return Complex(r.doubleValue)
        case .approx(let c): return c
        }
    }

    var description: String {
        switch self {
        case .exact(let r): return r.description
        case .approx(let c): return c.im == 0 ? "\(c.re)" : "\(c.re)+\(c.im)i"
        }
    }
}
