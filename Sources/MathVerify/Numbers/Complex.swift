#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A complex double, used for every value that is not an exact rational (irrationals, and expressions with
/// variables evaluated at sample points). Formulas for the inverse functions: Abramowitz & Stegun 4.4.
struct Complex: Sendable, Hashable {
    var re: Double
    var im: Double

    init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }

    static let i = Complex(0, 1)
    var magnitude: Double { hypot(re, im) }
    var isFinite: Bool { re.isFinite && im.isFinite }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    static func * (a: Complex, b: Complex) -> Complex {
        if a.im == 0 && b.im == 0 { return Complex(a.re * b.re) }
        return Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    static func / (a: Complex, b: Complex) -> Complex {
        if a.im == 0 && b.im == 0 { return Complex(a.re / b.re) }
        let d = b.re * b.re + b.im * b.im
        return Complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }

    var exp: Complex {
        let m = Glibc_exp(re)
        return im == 0 ? Complex(m) : Complex(m * cos(im), m * sin(im))
    }
    var log: Complex {
        if im == 0 && re > 0 { return Complex(Glibc_log(re)) }
        return Complex(Glibc_log(magnitude), atan2(im, re))
    }
    var squareRoot: Complex {
        if im == 0 {
            return re >= 0 ? Complex(re.squareRoot()) : Complex(0, (-re).squareRoot())
        }
        let m = magnitude
        let r = ((m + re) / 2).squareRoot()
        let s = ((m - re) / 2).squareRoot()
        return Complex(r, im < 0 ? -s : s)
    }
    func power(_ e: Complex) -> Complex {
        if e.im == 0 && im == 0 {
            if re >= 0 || e.re == e.re.rounded() { return Complex(pow(re, e.re)) }
        }
        if re == 0 && im == 0 { return e.re > 0 ? Complex(0) : Complex(.infinity) }
        return (log * e).exp
    }
    var sine: Complex { im == 0 ? Complex(sin(re)) : Complex(sin(re) * cosh(im), cos(re) * sinh(im)) }
    var cosine: Complex { im == 0 ? Complex(cos(re)) : Complex(cos(re) * cosh(im), -sin(re) * sinh(im)) }
    var arcsine: Complex {
        if im == 0 && abs(re) <= 1 { return Complex(asin(re)) }
        let root: Complex = (Complex(1) - self * self).squareRoot
        let inner: Complex = Complex.i * self + root
        return Complex(0, -1) * inner.log
    }
    var arctangent: Complex {
        if im == 0 { return Complex(atan(re)) }
        return Complex(0, 0.5) * ((Complex.i + self) / (Complex.i - self)).log
    }

    /// Equal within `absolute + relative * max(|a|, |b|)`; infinities equal only the same infinity.
    func isClose(to b: Complex, relative: Double, absolute: Double) -> Bool {
        if !isFinite || !b.isFinite {
            return re == b.re && im == b.im && !re.isNaN && !im.isNaN
        }
        let diff = (self - b).magnitude
        return diff <= absolute + relative * max(magnitude, b.magnitude)
    }
}

@inline(__always) private func Glibc_exp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func Glibc_log(_ x: Double) -> Double { log(x) }
