import Foundation

/// Rotary position embeddings (Su et al. 2021, "RoFormer"), in HuggingFace's non-interleaved layout
/// (`rotate_half` in transformers/models/llama/modeling_llama.py): within each head the first half of the
/// dimensions pairs with the second half, and pair i at position p turns by p·θ^(−2i/d).
extension Tensor {
    /// Shapes: x [..., heads·headDim] with `positions.count` rows → same shape.
    /// y₁ = x₁ cos − x₂ sin, y₂ = x₂ cos + x₁ sin; backward is the inverse rotation of dy.
    public static func rope(_ x: Tensor, positions: [Int32], heads: Int, headDim: Int, theta: Double) -> Tensor {
        rope(x, table: RopeTable(positions: positions, headDim: headDim, theta: theta), heads: heads)
    }

    /// As `rope(_:positions:heads:headDim:theta:)` with the angles precomputed (shared by all layers).
    public static func rope(_ x: Tensor, table: RopeTable, heads: Int) -> Tensor {
        let headDim = table.headDim
        let rows = table.rows
        let width = heads * headDim
        precondition(
            x.shape.last == width && x.count == rows * width,
            "rope: x \(x.shape) is not [\(rows) rows, \(heads)×\(headDim)]")
        let out = Storage(uninitialized: x.count)
        rotate(x.data, out.pointer, table: table, rows: rows, heads: heads, headDim: headDim, sign: 1)
        return result(x.shape, out, inputs: [x]) { o in
            let (gx, fresh) = x.gradBuffer()
            rotate(
                o.gradStorage!.pointer, gx, table: table, rows: rows, heads: heads, headDim: headDim, sign: -1,
                accumulate: !fresh)
        }
    }

    /// Rotates every head of every row by its position's angles (`sign` −1 rotates backwards), into `dst` or,
    /// with `accumulate`, added onto it. Rows are spread over the cores.
    static func rotate(
        _ src: UnsafeMutablePointer<Float>, _ dst: UnsafeMutablePointer<Float>, table: RopeTable,
        rows: Int, heads: Int, headDim: Int, sign: Float, accumulate: Bool = false
    ) {
        let half = headDim / 2
        let width = heads * headDim
        let ps = SharedPointer(src)
        let pd = SharedPointer(dst)
        let pc = SharedPointer(table.cos.pointer)
        let pn = SharedPointer(table.sin.pointer)
        Parallel.forEach(rows, minChunk: Swift.max(1, (1 << 15) / Swift.max(width, 1))) { range in
            for r in range {
                let cosr = pc.p + r * half
                let sinr = pn.p + r * half
                for h in 0..<heads {
                    let s = ps.p + r * width + h * headDim
                    let d = pd.p + r * width + h * headDim
                    for i in 0..<half {
                        let x1 = s[i]
                        let x2 = s[i + half]
                        let c = cosr[i]
                        let sn = sign * sinr[i]
                        if accumulate {
                            d[i] += x1 * c - x2 * sn
                            d[i + half] += x2 * c + x1 * sn
                        } else {
                            d[i] = x1 * c - x2 * sn
                            d[i + half] = x2 * c + x1 * sn
                        }
                    }
                }
            }
        }
    }
}

/// cos and sin of p·θ^(−2i/d) for each row's position p and i < d/2, computed in Double then rounded.
public final class RopeTable {
    let cos: Storage
    let sin: Storage
    /// Rows (positions) covered.
    public let rows: Int
    public let headDim: Int

    /// Angles for `positions` with per-head width `headDim` (even) and base `theta`.
    public init(positions: [Int32], headDim: Int, theta: Double) {
        precondition(headDim > 0 && headDim % 2 == 0, "rope: head dimension \(headDim) must be even")
        let half = headDim / 2
        rows = positions.count
        self.headDim = headDim
        cos = Storage(count: positions.count * half)
        sin = Storage(count: positions.count * half)
        let invFreq = (0..<half).map { 1 / Foundation.pow(theta, Double(2 * $0) / Double(2 * half)) }
        var firstRow: [Int32: Int] = [:]  // a batch repeats positions: compute each once, copy the rest
        for (r, p) in positions.enumerated() {
            let c = cos.pointer + r * half
            let s = sin.pointer + r * half
            if let earlier = firstRow[p] {
                c.update(from: cos.pointer + earlier * half, count: half)
                s.update(from: sin.pointer + earlier * half, count: half)
                continue
            }
            firstRow[p] = r
            for i in 0..<half {
                let angle = Double(p) * invFreq[i]
                c[i] = Float(Foundation.cos(angle))
                s[i] = Float(Foundation.sin(angle))
            }
        }
    }
}
