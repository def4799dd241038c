/// Fused products of a transformer block for inference: each runs as one pass over the cores, the output
/// columns of its products cut into blocks that the cores take from a shared queue, instead of one parallel
/// pass per product and per elementwise op. Each pass wakes the other core once, and waking an idle core
/// costs about as much as a decoding step's smaller products.
///
/// When gradients are tracked, or for a single row (one sequence decoding, served by sgemv on one core), each
/// is exactly the composition of `linear`, `+` and `swiglu` that its doc comment states.
extension Tensor {
    /// [x W₀ᵀ + b₀, x W₁ᵀ + b₁, …] as `linear` per weight (e.g. the q, k, v projections of one input).
    /// Shapes: x [..., in], weights[i] [outᵢ, in], biases nil or one [outᵢ] or nil per weight → [..., outᵢ].
    public static func linears(_ x: Tensor, _ weights: [Tensor], biases: [Tensor?]? = nil) -> [Tensor] {
        let biases = biases ?? weights.map { _ in nil }
        precondition(biases.count == weights.count, "linears: \(biases.count) biases for \(weights.count) weights")
        let rows = x.count / Swift.max(x.shape.last ?? 1, 1)
        guard fusable(rows: rows, inputs: [x] + weights + biases.compactMap { $0 }) else {
            return zip(weights, biases).map { linear(x, $0, bias: $1) }
        }
        let inF = checkedInput(x, weights)
        let outs = weights.map { Storage(uninitialized: rows * $0.shape[0]) }
        let px = SharedPointer(x.data)
        let pw = weights.map { SharedPointer($0.data) }
        let pb = biases.map { $0.map { SharedPointer($0.data) } }
        let po = outs.map { SharedPointer($0.pointer) }
        let widths = weights.map { $0.shape[0] }
        inColumnBlocks(widths: widths) { i, lo, hi in
            let n = widths[i]
            BLAS.gemm(
                transA: false, transB: true, m: rows, n: hi - lo, k: inF, px.p, lda: inF, pw[i].p + lo * inF,
                ldb: inF, beta: 0, po[i].p + lo, ldc: n, parallel: false)
            if let b = pb[i] {
                for r in 0..<rows { FastMath.axpy(1, b.p + lo, po[i].p + r * n + lo, hi - lo) }
            }
        }
        let lead = Array(x.shape.dropLast())
        return zip(weights, outs).map { Tensor(shape: lead + [$0.shape[0]], storage: $1) }
    }

    /// residual + x Wᵀ (a residual connection after a projection), the product accumulating onto the residual.
    /// Shapes: x [..., in], weight [out, in], residual [..., out] → [..., out].
    public static func linear(_ x: Tensor, _ weight: Tensor, adding residual: Tensor) -> Tensor {
        let rows = x.count / Swift.max(x.shape.last ?? 1, 1)
        guard fusable(rows: rows, inputs: [x, weight, residual]) else { return residual + linear(x, weight) }
        let inF = checkedInput(x, [weight])
        let n = weight.shape[0]
        let shape = Array(x.shape.dropLast()) + [n]
        precondition(residual.shape == shape, "linear: residual \(residual.shape) is not \(shape)")
        let out = Storage(uninitialized: rows * n)
        let px = SharedPointer(x.data)
        let pw = SharedPointer(weight.data)
        let pr = SharedPointer(residual.data)
        let po = SharedPointer(out.pointer)
        inColumnBlocks(widths: [n]) { _, lo, hi in
            for r in 0..<rows { (po.p + r * n + lo).update(from: pr.p + r * n + lo, count: hi - lo) }
            BLAS.gemm(
                transA: false, transB: true, m: rows, n: hi - lo, k: inF, px.p, lda: inF, pw.p + lo * inF, ldb: inF,
                beta: 1, po.p + lo, ldc: n, parallel: false)
        }
        return Tensor(shape: shape, storage: out)
    }

    /// swiglu(gate: x W_gᵀ, up: x W_uᵀ), the input of Llama's down projection, computed block by block.
    /// Shapes: x [..., in], gate and up [F, in] → [..., F].
    public static func swiglu(_ x: Tensor, gate: Tensor, up: Tensor) -> Tensor {
        let rows = x.count / Swift.max(x.shape.last ?? 1, 1)
        guard fusable(rows: rows, inputs: [x, gate, up]) else {
            return swiglu(gate: linear(x, gate), up: linear(x, up))
        }
        let inF = checkedInput(x, [gate, up])
        let f = gate.shape[0]
        precondition(up.shape == gate.shape, "swiglu: gate \(gate.shape) and up \(up.shape) differ")
        let out = Storage(uninitialized: rows * f)
        let px = SharedPointer(x.data)
        let pg = SharedPointer(gate.data)
        let pu = SharedPointer(up.data)
        let po = SharedPointer(out.pointer)
        inColumnBlocks(widths: [f]) { _, lo, hi in
            let w = hi - lo
            withUnsafeTemporaryAllocation(of: Float.self, capacity: rows * w) { u in
                let pu2 = u.baseAddress!
                BLAS.gemm(
                    transA: false, transB: true, m: rows, n: w, k: inF, px.p, lda: inF, pg.p + lo * inF, ldb: inF,
                    beta: 0, po.p + lo, ldc: f, parallel: false)
                BLAS.gemm(
                    transA: false, transB: true, m: rows, n: w, k: inF, px.p, lda: inF, pu.p + lo * inF, ldb: inF,
                    beta: 0, pu2, ldc: w, parallel: false)
                for r in 0..<rows {
                    let g = po.p + r * f + lo
                    let v = pu2 + r * w
                    var c = 0
                    while c < w {
                        let e = Swift.min(w, c + 8)
                        let z = load8(g, c, e)
                        store8(z * (1 / (1 + FastMath.exp(-z))) * load8(v, c, e), g, c, e)
                        c = e
                    }
                }
            }
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [f], storage: out)
    }

    /// Whether the fused path applies: nothing to differentiate, several rows, and a second core.
    private static func fusable(rows: Int, inputs: [Tensor]) -> Bool {
        rows > 1 && Parallel.workers > 1 && !(Tensor.isGradEnabled && inputs.contains { $0.requiresGrad })
    }

    /// The shared input width of `weights` [out, in], checked against x [..., in].
    private static func checkedInput(_ x: Tensor, _ weights: [Tensor]) -> Int {
        let inF = x.shape.last ?? 0
        for w in weights {
            precondition(w.shape.count == 2 && w.shape[1] == inF, "linear: x \(x.shape) vs weight \(w.shape)")
        }
        return inF
    }

    /// Calls `body(product, lo, hi)` for column blocks lo..<hi covering 0..<widths[product] of every product,
    /// about twice as many blocks as cores in all (a core delayed by another process then holds up less),
    /// blocks a multiple of 16 columns wide where possible; blocks are claimed dynamically by the cores.
    private static func inColumnBlocks(widths: [Int], _ body: @Sendable (Int, Int, Int) -> Void) {
        let total = widths.reduce(0, +)
        let target = (total + 2 * Parallel.workers - 1) / (2 * Parallel.workers)
        let width = Swift.max(16, (target + 15) / 16 * 16)
        var blocks: [(Int, Int, Int)] = []
        for (i, n) in widths.enumerated() {
            var lo = 0
            while lo < n {
                let hi = Swift.min(n, lo + width)
                blocks.append((i, lo, hi))
                lo = hi
            }
        }
        HotPool.shared.run(blocks.count) { j in body(blocks[j].0, blocks[j].1, blocks[j].2) }
    }
}
