/// The gated unit of Llama's MLP (Shazeer 2020, "GLU Variants Improve Transformer"): silu(gate) ⊙ up.
extension Tensor {
    /// Shapes: gate, up [..., F] → [..., F]. With s = σ(gate):
    /// dgate = dy·up·s·(1 + gate·(1 − s)),  dup = dy·gate·s.
    public static func swiglu(gate: Tensor, up: Tensor) -> Tensor {
        precondition(gate.shape == up.shape, "swiglu: gate \(gate.shape) and up \(up.shape) differ")
        let n = gate.count
        let out = Storage(uninitialized: n)
        let pg = SharedPointer(gate.data)
        let pu = SharedPointer(up.data)
        let po = SharedPointer(out.pointer)
        Parallel.forEach(n / 8 + 1, minChunk: 2048) { r in
            for blk in r {
                let lo = blk * 8
                let hi = min(n, lo + 8)
                guard lo < hi else { continue }
                let x = load8(pg.p, lo, hi)
                let u = load8(pu.p, lo, hi)
                let s = 1 / (1 + FastMath.exp(-x))
                store8(x * s * u, po.p, lo, hi)
            }
        }
        return result(gate.shape, out, inputs: [gate, up]) { o in
            let g = SharedPointer(o.gradStorage!.pointer)
            // A side that needs no gradient writes into scratch, kept alive until the loop ends.
            let scratch = Storage(count: gate.requiresGrad && up.requiresGrad ? 0 : n)
            let (gateGrad, gateFresh) = gate.requiresGrad ? gate.gradBuffer() : (scratch.pointer, true)
            let (upGrad, upFresh) = up.requiresGrad && up !== gate ? up.gradBuffer() : (scratch.pointer, true)
            let dg = SharedPointer(gateGrad)
            let du = SharedPointer(up.requiresGrad && up === gate ? gateGrad : upGrad)
            // Both sides may be one tensor (swiglu(gate: x, up: x)): then its buffer is added into, never
            // overwritten, after a fresh one is cleared.
            if up.requiresGrad && up === gate && gateFresh { gateGrad.update(repeating: 0, count: n) }
            let overwriteG = gateFresh && !(up.requiresGrad && up === gate)
            let overwriteU = upFresh && !(up.requiresGrad && up === gate)
            defer { withExtendedLifetime(scratch) {} }
            Parallel.forEach(n / 8 + 1, minChunk: 2048) { r in
                for blk in r {
                    let lo = blk * 8
                    let hi = min(n, lo + 8)
                    guard lo < hi else { continue }
                    let x = load8(pg.p, lo, hi)
                    let u = load8(pu.p, lo, hi)
                    let gy = load8(g.p, lo, hi)
                    let s = 1 / (1 + FastMath.exp(-x))
                    let dgate = gy * u * s * (1 + x * (1 - s))
                    store8(overwriteG ? dgate : load8(dg.p, lo, hi) + dgate, dg.p, lo, hi)
                    let dup = gy * x * s
                    store8(overwriteU ? dup : load8(du.p, lo, hi) + dup, du.p, lo, hi)
                }
            }
        }
    }
}

/// Eight floats from p[lo..<hi] (hi − lo ≤ 8), zero-filled past `hi`.
@inline(__always)
func load8(_ p: UnsafeMutablePointer<Float>, _ lo: Int, _ hi: Int) -> SIMD8<Float> {
    if hi - lo == 8 { return UnsafeRawPointer(p + lo).loadUnaligned(as: SIMD8<Float>.self) }
    var v = SIMD8<Float>(repeating: 0)
    for i in lo..<hi { v[i - lo] = p[i] }
    return v
}

/// Stores the first hi − lo lanes of `v` into p[lo..<hi].
@inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ lo: Int, _ hi: Int) {
    if hi - lo == 8 {
        UnsafeMutableRawPointer(p + lo).storeBytes(of: v, as: SIMD8<Float>.self)
        return
    }
    for i in lo..<hi { p[i] = v[i - lo] }
}
