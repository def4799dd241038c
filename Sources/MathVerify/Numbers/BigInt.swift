/// An arbitrary-precision signed integer, just large enough for exact answer checking.
///
/// The magnitude is stored as little-endian 32-bit limbs with no trailing zero limbs; zero has no limbs and is never
/// negative. Callers bound sizes themselves (see `Budget.maxBits`): nothing here refuses to grow.
struct BigInt: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Little-endian limbs of |value|, without trailing zeros.
    private(set) var limbs: [UInt32]
    /// True when the value is below zero (never for zero).
    private(set) var isNegative: Bool

    init() {
        limbs = []
        isNegative = false
    }

    init(_ value: Int) {
        isNegative = value < 0
        var m = value.magnitude
        limbs = []
        while m != 0 {
            limbs.append(UInt32(truncatingIfNeeded: m))
            m >>= 32
        }
    }

    private init(limbs: [UInt32], negative: Bool) {
        self.limbs = limbs
        self.isNegative = negative
        normalize()
    }

    /// Parses ASCII decimal digits (no sign, no separators). Returns nil if a byte is not a digit or `bytes` is empty.
    init?<C: Collection>(decimalDigits bytes: C) where C.Element == UInt8 {
        guard !bytes.isEmpty else { return nil }
        var result = BigInt()
        var chunk: UInt32 = 0
        var chunkLength = 0
        for b in bytes {
            guard b >= 48 && b <= 57 else { return nil }
            chunk = chunk * 10 + UInt32(b - 48)
            chunkLength += 1
            if chunkLength == 9 {
                result.multiplyAdd(UInt32(1_000_000_000), chunk)
                chunk = 0
                chunkLength = 0
            }
        }
        if chunkLength > 0 {
            var scale: UInt32 = 1
            for _ in 0..<chunkLength { scale *= 10 }
            result.multiplyAdd(scale, chunk)
        }
        self = result
    }

    static let zero = BigInt()
    static let one = BigInt(1)

    var isZero: Bool { limbs.isEmpty }
    /// Number of significant bits of the magnitude (0 for zero).
    var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 32 - top.leadingZeroBitCount
    }
    var magnitude: BigInt { BigInt(limbs: limbs, negative: false) }
    /// The value as an `Int` when it fits.
    var asInt: Int? {
        if limbs.count > 2 { return nil }
        var m: UInt64 = 0
        for (i, l) in limbs.enumerated() { m |= UInt64(l) << (32 * UInt64(i)) }
        if isNegative {
            return m <= UInt64(Int.max) + 1 ? Int(truncatingIfNeeded: 0 &- m) : nil
        }
        return m <= UInt64(Int.max) ? Int(m) : nil
    }

    /// Nearest `Double` (infinite when out of range).
    var doubleValue: Double {
        var d = 0.0
        for l in limbs.reversed() { d = d * 4_294_967_296.0 + Double(l) }
        return isNegative ? -d : d
    }

    private mutating func normalize() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        if limbs.isEmpty { isNegative = false }
    }

    /// self = self * m + a, on the magnitude.
    private mutating func multiplyAdd(_ m: UInt32, _ a: UInt32) {
        var carry = UInt64(a)
        for i in limbs.indices {
            let t = UInt64(limbs[i]) * UInt64(m) + carry
            limbs[i] = UInt32(truncatingIfNeeded: t)
            carry = t >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    // MARK: Magnitude helpers

    private static func compareMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    private static func addMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        var result = [UInt32]()
        result.reserveCapacity(long.count + 1)
        var carry: UInt64 = 0
        for i in 0..<long.count {
            let t = UInt64(long[i]) + (i < short.count ? UInt64(short[i]) : 0) + carry
            result.append(UInt32(truncatingIfNeeded: t))
            carry = t >> 32
        }
        if carry != 0 { result.append(UInt32(carry)) }
        return result
    }

    /// a - b for |a| >= |b|.
    private static func subtractMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var result = [UInt32]()
        result.reserveCapacity(a.count)
        var borrow: Int64 = 0
        for i in 0..<a.count {
            var t = Int64(a[i]) - (i < b.count ? Int64(b[i]) : 0) - borrow
            if t < 0 {
                t += 1 << 32
                borrow = 1
            } else {
                borrow = 0
            }
            result.append(UInt32(t))
        }
        return result
    }

    private static func multiplyMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        if a.isEmpty || b.isEmpty { return [] }
        var result = [UInt32](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            let ai = UInt64(a[i])
            if ai == 0 { continue }
            for j in 0..<b.count {
                let t = ai * UInt64(b[j]) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            result[i + b.count] = UInt32(carry)
        }
        return result
    }

    /// Divides a magnitude by a single limb; returns quotient and remainder.
    private static func divideMagnitude(_ a: [UInt32], by d: UInt32) -> ([UInt32], UInt32) {
        var q = [UInt32](repeating: 0, count: a.count)
        var r: UInt64 = 0
        var i = a.count - 1
        while i >= 0 {
            let cur = (r << 32) | UInt64(a[i])
            q[i] = UInt32(cur / UInt64(d))
            r = cur % UInt64(d)
            i -= 1
        }
        return (q, UInt32(r))
    }

    /// Knuth, TAOCP vol. 2, 4.3.1 Algorithm D: quotient and remainder of magnitudes, `b` non-empty.
    private static func divModMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> ([UInt32], [UInt32]) {
        if compareMagnitudes(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let (q, r) = divideMagnitude(a, by: b[0])
            return (q, r == 0 ? [] : [r])
        }
        let s = UInt32(b.last!.leadingZeroBitCount)
        let v = shiftLeft(b, s)
        var u = shiftLeft(a, s)
        if u.count == a.count { u.append(0) }
        let n = v.count
        let m = u.count - n
        var q = [UInt32](repeating: 0, count: m)
        let base: UInt64 = 1 << 32
        let vTop = UInt64(v[n - 1])
        let vNext = UInt64(v[n - 2])
        var j = m - 1
        while j >= 0 {
            let num = (UInt64(u[j + n]) << 32) | UInt64(u[j + n - 1])
            var qhat = num / vTop
            var rhat = num % vTop
            while qhat >= base || qhat * vNext > ((rhat << 32) | UInt64(u[j + n - 2])) {
                qhat -= 1
                rhat += vTop
                if rhat >= base { break }
            }
            // Multiply and subtract.
            var borrow: Int64 = 0
            var carry: UInt64 = 0
            for i in 0..<n {
                let p = qhat * UInt64(v[i]) + carry
                carry = p >> 32
                let t = Int64(u[i + j]) - borrow - Int64(p & 0xffff_ffff)
                u[i + j] = UInt32(truncatingIfNeeded: t)
                borrow = t < 0 ? 1 : 0
            }
            let t = Int64(u[j + n]) - borrow - Int64(carry)
            u[j + n] = UInt32(truncatingIfNeeded: t)
            if t < 0 {
                // Add back.
                qhat -= 1
                var c: UInt64 = 0
                for i in 0..<n {
                    let s2 = UInt64(u[i + j]) + UInt64(v[i]) + c
                    u[i + j] = UInt32(truncatingIfNeeded: s2)
                    c = s2 >> 32
                }
                u[j + n] = UInt32(truncatingIfNeeded: UInt64(u[j + n]) + c)
            }
            q[j] = UInt32(qhat)
            j -= 1
        }
        let r = shiftRight(Array(u[0..<n]), s)
        return (q, r)
    }

    private static func shiftLeft(_ a: [UInt32], _ s: UInt32) -> [UInt32] {
        if s == 0 { return a }
        var result = [UInt32]()
        result.reserveCapacity(a.count + 1)
        var carry: UInt32 = 0
        for l in a {
            result.append((l << s) | carry)
            carry = l >> (32 - s)
        }
        if carry != 0 { result.append(carry) }
        return result
    }

    private static func shiftRight(_ a: [UInt32], _ s: UInt32) -> [UInt32] {
        if s == 0 { return a }
        var result = a
        for i in 0..<a.count {
            let hi: UInt32 = i + 1 < a.count ? a[i + 1] << (32 - s) : 0
            result[i] = (a[i] >> s) | hi
        }
        return result
    }

    // MARK: Arithmetic

    static prefix func - (x: BigInt) -> BigInt { BigInt(limbs: x.limbs, negative: !x.isNegative) }

    static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.isNegative == b.isNegative {
            return BigInt(limbs: addMagnitudes(a.limbs, b.limbs), negative: a.isNegative)
        }
        let c = compareMagnitudes(a.limbs, b.limbs)
        if c == 0 { return .zero }
        if c > 0 { return BigInt(limbs: subtractMagnitudes(a.limbs, b.limbs), negative: a.isNegative) }
        return BigInt(limbs: subtractMagnitudes(b.limbs, a.limbs), negative: b.isNegative)
    }

    static func - (a: BigInt, b: BigInt) -> BigInt { a + (-b) }

    static func * (a: BigInt, b: BigInt) -> BigInt {
        BigInt(limbs: multiplyMagnitudes(a.limbs, b.limbs), negative: a.isNegative != b.isNegative)
    }

    /// Truncating division (quotient rounds toward zero, remainder has the dividend's sign). `b` must not be zero.
    func quotientAndRemainder(dividingBy b: BigInt) -> (quotient: BigInt, remainder: BigInt) {
        precondition(!b.isZero, "BigInt division by zero")
        let (q, r) = BigInt.divModMagnitudes(limbs, b.limbs)
        return (BigInt(limbs: q, negative: isNegative != b.isNegative), BigInt(limbs: r, negative: isNegative))
    }

    static func / (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).quotient }
    static func % (a: BigInt, b: BigInt) -> BigInt { a.quotientAndRemainder(dividingBy: b).remainder }

    /// Greatest common divisor of the magnitudes (Euclid), `gcd(0, 0) = 0`.
    static func gcd(_ a: BigInt, _ b: BigInt) -> BigInt {
        var x = a.magnitude
        var y = b.magnitude
        while !y.isZero {
            if x.limbs.count <= 2 && y.limbs.count <= 2, let xs = x.asInt, let ys = y.asInt {
                var p = xs
                var q = ys
                while q != 0 { (p, q) = (q, p % q) }
                return BigInt(p)
            }
            (x, y) = (y, x % y)
        }
        return x
    }

    /// `self^exponent` by squaring; the caller bounds the result size.
    func power(_ exponent: Int) -> BigInt {
        var result = BigInt.one
        var base = self
        var e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            e >>= 1
            if e > 0 { base = base * base }
        }
        return result
    }

    static func < (a: BigInt, b: BigInt) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        let c = compareMagnitudes(a.limbs, b.limbs)
        return a.isNegative ? c > 0 : c < 0
    }

    var description: String {
        if isZero { return "0" }
        var parts: [UInt32] = []
        var m = limbs
        while !m.isEmpty {
            let (q, r) = BigInt.divideMagnitude(m, by: 1_000_000_000)
            parts.append(r)
            m = q
            while let last = m.last, last == 0 { m.removeLast() }
        }
        var s = isNegative ? "-" : ""
        s += String(parts.last!)
        for p in parts.dropLast().reversed() {
            let digits = String(p)
            s += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return s
    }
}
