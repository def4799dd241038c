import Testing

@testable import MathVerify

@Suite("BigInt and Rational")
struct BigIntTests {
    private func random(_ g: inout SeededGenerator, digits: Int) -> BigInt {
        var s = [UInt8(ascii: "1") + UInt8.random(in: 0...8, using: &g)]
        for _ in 1..<digits { s.append(UInt8(ascii: "0") + UInt8.random(in: 0...9, using: &g)) }
        return BigInt(decimalDigits: s)!
    }

    @Test func agreesWithIntArithmetic() {
        var g = SeededGenerator(seed: 21)
        for _ in 0..<2_000 {
            let a = Int.random(in: -3_000_000_000...3_000_000_000, using: &g)
            var b = Int.random(in: -3_000_000_000...3_000_000_000, using: &g)
            if b == 0 { b = 7 }
            #expect((BigInt(a) + BigInt(b)).asInt == a + b)
            #expect((BigInt(a) - BigInt(b)).asInt == a - b)
            let (product, overflow) = a.multipliedReportingOverflow(by: b)
            if !overflow { #expect((BigInt(a) * BigInt(b)).asInt == product) }
            // (a·b)·b⁻¹ round trip also where Int overflows.
            #expect((BigInt(a) * BigInt(b) * BigInt(b)) / (BigInt(b) * BigInt(b)) == BigInt(a))
            #expect((BigInt(a) / BigInt(b)).asInt == a / b)
            #expect((BigInt(a) % BigInt(b)).asInt == a % b)
            #expect((BigInt(a) < BigInt(b)) == (a < b))
            #expect(BigInt(a).description == String(a))
        }
    }

    @Test func divisionInvertsMultiplicationOnLargeNumbers() {
        var g = SeededGenerator(seed: 22)
        for _ in 0..<300 {
            let a = random(&g, digits: Int.random(in: 1...120, using: &g))
            let b = random(&g, digits: Int.random(in: 1...60, using: &g))
            let r = random(&g, digits: 1 + b.description.count / 2)
            let n = a * b + r
            let (q, rem) = n.quotientAndRemainder(dividingBy: b)
            #expect(q * b + rem == n)
            #expect(rem < b && !rem.isNegative)
            #expect((a * b) / b == a)
            #expect(BigInt(decimalDigits: Array(n.description.utf8)) == n)
        }
    }

    @Test func gcdAndRationalsReduce() {
        let a = BigInt(decimalDigits: Array("123456789012345678901234567890".utf8))!
        let b = BigInt(decimalDigits: Array("987654321098765432109876543210".utf8))!
        let g = BigInt.gcd(a, b)
        #expect(g.description == "9000000000900000000090")
        let r = Rational(a, b)
        #expect(r.description == "13717421/109739369")
        #expect(Rational(6, -4) == Rational(-3, 2))
        #expect(Rational(1, 3) + Rational(1, 6) == Rational(1, 2))
        #expect(Rational(2, 3).power(-2) == Rational(9, 4))
        #expect(Rational(0).power(-1) == nil)
        #expect(abs(Rational(1, 3).doubleValue - 1.0 / 3) < 1e-16)
    }

    @Test func hugeRationalsConvertToFiniteDoubles() {
        let big = BigInt(10).power(400)
        let r = Rational(big * BigInt(3), big * BigInt(4))
        #expect(r == Rational(3, 4))
        let unreduced = Rational(big + .one, big)
        #expect(abs(unreduced.doubleValue - 1) < 1e-12)
        #expect(BigInt(2).power(100).description == "1267650600228229401496703205376")
    }
}
