import MathVerify
import Testing

/// A random expression that can be written several equivalent ways.
indirect enum GeneratedExpr {
    case int(Int)
    case variable(String)
    case sum(GeneratedExpr, GeneratedExpr)
    case product(GeneratedExpr, GeneratedExpr)
    case quotient(GeneratedExpr, Int)
    case square(GeneratedExpr)
    case root(Int)

    static func random(depth: Int, variables: [String], using g: inout SeededGenerator) -> GeneratedExpr {
        if depth == 0 || Int.random(in: 0..<4, using: &g) == 0 {
            if !variables.isEmpty && Bool.random(using: &g) { return .variable(variables.randomElement(using: &g)!) }
            return Int.random(in: 0..<5, using: &g) == 0
                ? .root([2, 3, 5, 7].randomElement(using: &g)!)
                : .int(Int.random(in: -20...20, using: &g))
        }
        switch Int.random(in: 0..<4, using: &g) {
        case 0:
            return .sum(
                random(depth: depth - 1, variables: variables, using: &g),
                random(depth: depth - 1, variables: variables, using: &g))
        case 1:
            return .product(
                random(depth: depth - 1, variables: variables, using: &g),
                random(depth: depth - 1, variables: variables, using: &g))
        case 2:
            return .quotient(
                random(depth: depth - 1, variables: variables, using: &g), Int.random(in: 1...9, using: &g))
        default: return .square(random(depth: depth - 1, variables: variables, using: &g))
        }
    }

    /// LaTeX as a dataset writes it.
    var latex: String {
        switch self {
        case .int(let n): return n < 0 ? "(\(n))" : "\(n)"
        case .variable(let v): return v
        case .sum(let a, let b): return "\(a.latex) + \(b.latex)"
        case .product(let a, let b): return "\\left(\(a.latex)\\right) \\cdot \\left(\(b.latex)\\right)"
        case .quotient(let a, let d): return "\\frac{\(a.latex)}{\(d)}"
        case .square(let a): return "\\left(\(a.latex)\\right)^{2}"
        case .root(let n): return "\\sqrt{\(n)}"
        }
    }

    /// The same value written differently: plain text, sums swapped, products commuted, division as a product.
    var rewritten: String {
        switch self {
        case .int(let n): return n < 0 ? "(-\(-n))" : "\(n)"
        case .variable(let v): return v
        case .sum(let a, let b): return "(\(b.rewritten)) + (\(a.rewritten))"
        case .product(let a, let b): return "(\(b.rewritten))*(\(a.rewritten))"
        case .quotient(let a, let d): return "(\(a.rewritten)) * 1/\(d)"
        case .square(let a): return "(\(a.rewritten))*(\(a.rewritten))"
        case .root(let n): return "\(n)^{1/2}"
        }
    }
}

@Suite("Properties")
struct PropertyTests {
    @Test func rewrittenExpressionsAreEqual() {
        var g = SeededGenerator(seed: 1)
        var failures: [String] = []
        for i in 0..<300 {
            let variables = i % 2 == 0 ? [] : Array(["x", "y", "z"].prefix(1 + i % 3))
            let e = GeneratedExpr.random(depth: 4, variables: variables, using: &g)
            let v = MathVerify.verify(gold: e.latex, prediction: "\\boxed{\(e.rewritten)}")
            if !v.isEquivalent { failures.append("\(e.latex) vs \(e.rewritten): \(v.reason)") }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
    }

    @Test func perturbedExpressionsDiffer() {
        var g = SeededGenerator(seed: 2)
        var failures: [String] = []
        for i in 0..<300 {
            let variables = i % 2 == 0 ? [] : ["x"]
            let e = GeneratedExpr.random(depth: 3, variables: variables, using: &g)
            let delta = Int.random(in: 1...5, using: &g)
            let perturbed = "\(e.rewritten) + \(delta)"
            let v = MathVerify.verify(gold: e.latex, prediction: perturbed)
            if v.isEquivalent { failures.append("\(e.latex) vs \(perturbed)") }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
    }

    @Test func rationalsInManyForms() {
        var g = SeededGenerator(seed: 3)
        for _ in 0..<300 {
            let p = Int.random(in: -999...999, using: &g)
            let q = [1, 2, 4, 5, 8, 10, 16, 20, 25, 3, 7, 9].randomElement(using: &g)!
            let k = Int.random(in: 2...9, using: &g)
            let gold = p < 0 ? "-\\frac{\(-p)}{\(q)}" : "\\frac{\(p)}{\(q)}"
            #expect(
                MathVerify.verify(gold: gold, prediction: "\(p * k)/\(q * k)").isEquivalent,
                "\(gold) vs \(p * k)/\(q * k)")
            #expect(
                !MathVerify.verify(gold: gold, prediction: "\(p + 1)/\(q)").isEquivalent, "\(gold) vs \(p + 1)/\(q)")
            if [1, 2, 4, 5, 8, 10, 16, 20, 25].contains(q) {
                // A terminating decimal: exact.
                let decimal = exactDecimal(p, q)
                #expect(MathVerify.verify(gold: gold, prediction: decimal).isEquivalent, "\(gold) vs \(decimal)")
            }
        }
    }

    @Test func bigIntegersRoundTrip() {
        var g = SeededGenerator(seed: 4)
        for _ in 0..<100 {
            let digits = (0..<Int.random(in: 20...200, using: &g)).map { _ in String(Int.random(in: 0...9, using: &g)) }
            let n = "1" + digits.joined()
            let last = Int(String(n.last!))!
            let other = String(n.dropLast()) + String((last + 1) % 10)
            #expect(MathVerify.verify(gold: n, prediction: "\\boxed{\(n)}").isEquivalent)
            #expect(!MathVerify.verify(gold: n, prediction: "\\boxed{\(other)}").isEquivalent)
            // n = (n div 7) * 7 + n mod 7 checks multiplication and addition of big numbers.
            #expect(MathVerify.verify(gold: n, prediction: "\\boxed{\(n) \\cdot 7 / 7}").isEquivalent)
        }
    }

    private func exactDecimal(_ p: Int, _ q: Int) -> String {
        // q divides a power of ten: scale to 10^4.
        let scaled = p * (10_000 / q)
        let sign = scaled < 0 ? "-" : ""
        let m = abs(scaled)
        let fraction = String(m % 10_000)
        return "\(sign)\(m / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }
}
