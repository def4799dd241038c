/// Elementwise binary ops with NumPy broadcasting; gradients are summed back over broadcast dimensions.
extension Tensor {
    /// out = f(a, b) elementwise, with backward contributions `da(a, b, g)` and `db(a, b, g)`.
    /// Always inlined so each operator's closures are specialised into plain loops.
    @inline(__always)
    static func binary(
        _ a: Tensor, _ b: Tensor, _ op: String,
        _ f: @escaping (Float, Float) -> Float,
        da: @escaping (Float, Float, Float) -> Float,
        db: @escaping (Float, Float, Float) -> Float
    ) -> Tensor {
        guard let bc = Broadcast(a.shape, b.shape) else {
            preconditionFailure("\(op): shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        let out = Storage(uninitialized: bc.count)
        let pa = a.data
        let pb = b.data
        let po = out.pointer
        switch (bc.indexA, bc.indexB) {
        case (nil, nil): for i in 0..<bc.count { po[i] = f(pa[i], pb[i]) }
        case (nil, let ib?): for i in 0..<bc.count { po[i] = f(pa[i], pb[ib[i]]) }
        case (let ia?, nil): for i in 0..<bc.count { po[i] = f(pa[ia[i]], pb[i]) }
        case (let ia?, let ib?): for i in 0..<bc.count { po[i] = f(pa[ia[i]], pb[ib[i]]) }
        }
        return result(bc.shape, out, inputs: [a, b]) { o in
            let g = o.gradStorage!.pointer
            if a.requiresGrad {
                let ga = a.ensureGrad()
                for i in 0..<bc.count {
                    let x = pa[bc.indexA?[i] ?? i]
                    let y = pb[bc.indexB?[i] ?? i]
                    ga[bc.indexA?[i] ?? i] += da(x, y, g[i])
                }
            }
            if b.requiresGrad {
                let gb = b.ensureGrad()
                for i in 0..<bc.count {
                    let x = pa[bc.indexA?[i] ?? i]
                    let y = pb[bc.indexB?[i] ?? i]
                    gb[bc.indexB?[i] ?? i] += db(x, y, g[i])
                }
            }
        }
    }

    /// a + b (broadcasting). Same-shape sums, the residual stream's case, take a vectorised path.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        guard a.shape == b.shape else { return binary(a, b, "add", +, da: { _, _, g in g }, db: { _, _, g in g }) }
        let n = a.count
        let out = Storage(uninitialized: n)
        let pa = SharedPointer(a.data)
        let pb = SharedPointer(b.data)
        let po = SharedPointer(out.pointer)
        Parallel.forEach(n, minChunk: 1 << 16) { r in for i in r { po.p[i] = pa.p[i] + pb.p[i] } }
        return result(a.shape, out, inputs: [a, b]) { o in
            let g = SharedPointer(o.gradStorage!.pointer)
            for t in [a, b] where t.requiresGrad {
                let (gt, fresh) = t.gradBuffer()
                let d = SharedPointer(gt)
                Parallel.forEach(n, minChunk: 1 << 16) { r in
                    if fresh {
                        (d.p + r.lowerBound).update(from: g.p + r.lowerBound, count: r.count)
                    } else {
                        FastMath.axpy(1, g.p + r.lowerBound, d.p + r.lowerBound, r.count)
                    }
                }
            }
        }
    }

    /// a − b (broadcasting).
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        binary(a, b, "sub", -, da: { _, _, g in g }, db: { _, _, g in -g })
    }

    /// a · b elementwise (broadcasting).
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        binary(a, b, "mul", *, da: { _, y, g in g * y }, db: { x, _, g in g * x })
    }

    /// a / b elementwise (broadcasting).
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        binary(a, b, "div", /, da: { _, y, g in g / y }, db: { x, y, g in -g * x / (y * y) })
    }

    /// Elementwise minimum (broadcasting); on ties the gradient is split evenly, as in PyTorch.
    public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(
            a, b, "minimum", { Swift.min($0, $1) },
            da: { x, y, g in x < y ? g : (x == y ? g / 2 : 0) },
            db: { x, y, g in y < x ? g : (x == y ? g / 2 : 0) })
    }

    /// Elementwise maximum (broadcasting); on ties the gradient is split evenly, as in PyTorch.
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        binary(
            a, b, "maximum", { Swift.max($0, $1) },
            da: { x, y, g in x > y ? g : (x == y ? g / 2 : 0) },
            db: { x, y, g in y > x ? g : (x == y ? g / 2 : 0) })
    }

    /// `condition ? a : b` elementwise, where `condition` is nonzero; a and b broadcast together and
    /// `condition` must have their broadcast shape. No gradient flows into `condition`.
    public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        let ca = a.broadcast(to: condition.shape)
        let cb = b.broadcast(to: condition.shape)
        let n = condition.count
        let out = Storage(uninitialized: n)
        let c = condition.data
        for i in 0..<n { out.pointer[i] = c[i] != 0 ? ca.data[i] : cb.data[i] }
        return result(condition.shape, out, inputs: [ca, cb]) { o in
            withExtendedLifetime(condition) {}  // `c` points into it
            let g = o.gradStorage!.pointer
            if ca.requiresGrad {
                let gx = ca.ensureGrad()
                for i in 0..<n where c[i] != 0 { gx[i] += g[i] }
            }
            if cb.requiresGrad {
                let gy = cb.ensureGrad()
                for i in 0..<n where c[i] == 0 { gy[i] += g[i] }
            }
        }
    }

    public static func + (a: Tensor, s: Float) -> Tensor { a.map("add", { $0 + s }, { _, _, g in g }) }
    public static func + (s: Float, a: Tensor) -> Tensor { a + s }
    public static func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
    public static func - (s: Float, a: Tensor) -> Tensor { a.map("rsub", { s - $0 }, { _, _, g in -g }) }
    public static func * (a: Tensor, s: Float) -> Tensor { a.map("scale", { $0 * s }, { _, _, g in g * s }) }
    public static func * (s: Float, a: Tensor) -> Tensor { a * s }
    public static func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
    public static prefix func - (a: Tensor) -> Tensor { a * -1 }
}
