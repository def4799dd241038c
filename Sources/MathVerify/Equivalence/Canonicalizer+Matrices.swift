/// Matrix arithmetic on parsed answers (gap I): sums, differences, scalar multiples and products of matrices are
/// carried out entry by entry, so `\begin{pmatrix}1&2\\3&4\end{pmatrix} + \begin{pmatrix}5&6\\7&8\end{pmatrix}`
/// compares as the matrix of its sums. Entries stay expressions; the comparer evaluates them.
extension Canonicalizer {
    /// Largest number of entries a computed matrix may have.
    static let maxMatrixEntries = 400

    /// The matrix `e` evaluates to, or nil when it is not matrix arithmetic (or shapes do not fit).
    func matrixValue(_ e: Expr) throws(MathVerifyError) -> [[Expr]]? {
        try budget.nested { () throws(MathVerifyError) -> [[Expr]]? in
            try budget.tick()
            switch e {
            case .matrix(let rows):
                return rows
            case .neg(let x):
                return try matrixValue(x).map { $0.map { $0.map { .neg($0) } } }
            case .add(let terms):
                var sum: [[Expr]]?
                for t in terms {
                    guard let m = try matrixValue(t) else { return nil }
                    guard let s = sum else {
                        sum = m
                        continue
                    }
                    guard s.count == m.count, zip(s, m).allSatisfy({ $0.count == $1.count }) else { return nil }
                    try budget.tick(s.count * (s.first?.count ?? 0))
                    sum = zip(s, m).map { zip($0, $1).map { .add([$0, $1]) } }
                }
                return sum
            case .mul(let factors):
                var scalars: [Expr] = []
                var product: [[Expr]]?
                for f in factors {
                    if !f.mentionsMatrix {
                        scalars.append(f)
                        continue
                    }
                    guard let m = try matrixValue(f) else { return nil }
                    product = try product.map { (p) throws(MathVerifyError) -> [[Expr]]? in try multiply(p, m) } ?? m
                    if product == nil { return nil }
                }
                guard let result = product else { return nil }
                if scalars.isEmpty { return result }
                let k: Expr = scalars.count == 1 ? scalars[0] : .mul(scalars)
                return result.map { $0.map { .mul([k, $0]) } }
            default:
                return nil
            }
        }
    }

    /// The product `a · b`, or nil when the inner sizes differ or the result would be too large.
    private func multiply(_ a: [[Expr]], _ b: [[Expr]]) throws(MathVerifyError) -> [[Expr]]? {
        let inner = b.count
        guard let width = b.first?.count, a.allSatisfy({ $0.count == inner }),
            a.count * width <= Canonicalizer.maxMatrixEntries
        else { return nil }
        try budget.tick(a.count * width * inner)
        return a.map { row in
            (0..<width).map { j in .add((0..<inner).map { k in .mul([row[k], b[k][j]]) }) }
        }
    }
}

extension Expr {
    /// True when a matrix is an operand of this sum, product or negation, or of one nested in it (the forms
    /// `matrixValue` computes). Walks only those nodes, so a scalar answer costs no allocation here.
    var mentionsMatrix: Bool {
        switch self {
        case .matrix: return true
        case .neg(let x): return x.mentionsMatrix
        case .add(let xs), .mul(let xs): return xs.contains { $0.mentionsMatrix }
        default: return false
        }
    }
}
