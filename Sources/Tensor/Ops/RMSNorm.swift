/// Root-mean-square layer normalisation (Zhang & Sennrich 2019), as HuggingFace `LlamaRMSNorm`:
/// y = w ⊙ x / √(mean(x²) + ε), the mean taken over the last dimension.
extension Tensor {
    /// Shapes: x [..., C], weight [C] → [..., C].
    /// Backward with r = 1/√(mean(x²)+ε), x̂ = x r:  dx = r (w⊙dy − x̂ · mean(w⊙dy⊙x̂)),  dw += Σ dy⊙x̂.
    public static func rmsNorm(_ x: Tensor, weight: Tensor, eps: Float) -> Tensor {
        let c = weight.count
        precondition(weight.shape == [c] && x.shape.last == c, "rmsNorm: x \(x.shape) vs weight \(weight.shape)")
        let rows = x.count / max(c, 1)
        let out = Storage(uninitialized: x.count)
        let rstd = Storage(count: rows)
        let px = SharedPointer(x.data)
        let pw = SharedPointer(weight.data)
        let po = SharedPointer(out.pointer)
        let pr = SharedPointer(rstd.pointer)
        Parallel.forEach(rows, minChunk: 64) { range in
            for r in range {
                let xr = px.p + r * c
                let yr = po.p + r * c
                let ms = FastMath.dot(xr, xr, c) / Float(c)
                let s = 1 / (ms + eps).squareRoot()
                pr.p[r] = s
                for j in 0..<c { yr[j] = pw.p[j] * (xr[j] * s) }
            }
        }
        return result(x.shape, out, inputs: [x, weight]) { o in
            withExtendedLifetime(rstd) {}  // keeps the saved 1/rms alive for this closure
            let g = o.gradStorage!.pointer
            if x.requiresGrad {
                let (gxPointer, fresh) = x.gradBuffer()
                let gx = SharedPointer(gxPointer)
                let pg = SharedPointer(g)
                Parallel.forEach(rows, minChunk: 64) { range in
                    for r in range {
                        let xr = px.p + r * c
                        let gr = pg.p + r * c
                        let dx = gx.p + r * c
                        let s = pr.p[r]
                        var dot: Float = 0
                        for j in 0..<c { dot += pw.p[j] * gr[j] * xr[j] * s }
                        dot /= Float(c)
                        if fresh {
                            for j in 0..<c { dx[j] = s * (pw.p[j] * gr[j] - xr[j] * s * dot) }
                        } else {
                            for j in 0..<c { dx[j] += s * (pw.p[j] * gr[j] - xr[j] * s * dot) }
                        }
                    }
                }
            }
            if weight.requiresGrad {
                // One partial sum over a share of the rows per core, then added in a fixed order.
                let chunks = rows * c >= 1 << 16 ? Parallel.workers : 1
                let partial = Storage(count: chunks * c)
                let pp = SharedPointer(partial.pointer)
                let pg = SharedPointer(g)
                Parallel.forEachChunk(rows, chunks: chunks) { k, range in
                    let acc = pp.p + k * c
                    for r in range {
                        let xr = px.p + r * c
                        let gr = pg.p + r * c
                        let s = pr.p[r]
                        for j in 0..<c { acc[j] += gr[j] * xr[j] * s }
                    }
                }
                let gw = weight.ensureGrad()
                for k in 0..<chunks { FastMath.axpy(1, pp.p + k * c, gw, c) }
            }
        }
    }
}
