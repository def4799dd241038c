/// Vectorised exponential for the softmax, SiLU and log-softmax kernels.
///
/// Cody–Waite range reduction x = n·ln2 + r with a degree-6 minimax polynomial for e^r, the single-precision
/// scheme of Cephes `expf.c` (S. Moshier); accurate to about 1 ulp on [-87, 88], saturating outside.
@usableFromInline
enum FastMath {
    @usableFromInline typealias V = SIMD8<Float>

    @inlinable @inline(__always)
    static func exp(_ x0: V) -> V {
        // Clamp with lane-wise selects (the generic `clamped` is not vectorised).
        var x = x0.replacing(with: -87.3, where: x0 .< -87.3)
        x = x.replacing(with: 88.0, where: x .> 88.0)
        // n = round(x / ln2) by the 1.5·2²³ trick: the sum's low mantissa bits hold n as an integer.
        let magic: V = V(repeating: 12_582_912)
        let t = x * 1.442_695_04 + magic
        let n = t - magic
        x = x - n * 0.693_359_375  // ln2 high part
        x = x - n * -2.121_944_4e-4  // ln2 low part
        var p: V = V(repeating: 1.987_569_15e-4)
        p = p * x + 1.398_199_95e-3
        p = p * x + 8.333_451_9e-3
        p = p * x + 4.166_579_6e-2
        p = p * x + 1.666_666_55e-1
        p = p * x + 5.000_000_1e-1
        p = p * (x * x) + x + 1
        let bits = (unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: V.self)
    }

    /// dst[i] = exp(src[i]) for i in 0..<n (src and dst may be the same).
    @inlinable
    static func exp(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 32 <= n {  // four independent vectors per iteration hide the polynomial's latency
            let s = UnsafeRawPointer(src + i)
            let d = UnsafeMutableRawPointer(dst + i)
            let a = exp(s.loadUnaligned(as: V.self))
            let b = exp(s.loadUnaligned(fromByteOffset: 32, as: V.self))
            let c = exp(s.loadUnaligned(fromByteOffset: 64, as: V.self))
            let e = exp(s.loadUnaligned(fromByteOffset: 96, as: V.self))
            d.storeBytes(of: a, as: V.self)
            d.storeBytes(of: b, toByteOffset: 32, as: V.self)
            d.storeBytes(of: c, toByteOffset: 64, as: V.self)
            d.storeBytes(of: e, toByteOffset: 96, as: V.self)
            i += 32
        }
        while i + 8 <= n {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: exp(v), as: V.self)
            i += 8
        }
        if i < n {
            var v = V(repeating: 0)
            for j in i..<n { v[j - i] = src[j] }
            let e = exp(v)
            for j in i..<n { dst[j] = e[j - i] }
        }
    }

    /// Scalar exp through the same polynomial (so scalar and vector paths agree).
    @inlinable
    static func exp(_ x: Float) -> Float { exp(V(repeating: x))[0] }

    /// Maximum of src[0..<n] (n > 0).
    @inlinable
    static func max(_ src: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = V(repeating: -.infinity)
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: V.self)
            lanes.replace(with: v, where: v .> lanes)
            i += 8
        }
        var m = lanes.max()
        while i < n {
            if src[i] > m { m = src[i] }
            i += 1
        }
        return m
    }

    /// Sum of src[0..<n], accumulated in Double.
    @inlinable
    static func sum(_ src: UnsafePointer<Float>, _ n: Int) -> Double {
        var acc = V(repeating: 0)
        var total = 0.0
        var i = 0
        while i + 8 <= n {
            acc += UnsafeRawPointer(src + i).loadUnaligned(as: V.self)
            i += 8
            if i & 1023 == 0 {
                total += Double(acc.sum())
                acc = V(repeating: 0)
            }
        }
        total += Double(acc.sum())
        while i < n {
            total += Double(src[i])
            i += 1
        }
        return total
    }

    /// y[0..<n] += alpha · x[0..<n] (x and y must not overlap).
    @inlinable @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        let a = V(repeating: alpha)
        while i + 8 <= n {
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: V.self)
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + a * xv, as: V.self)
            i += 8
        }
        while i < n {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// Dot product of a[0..<n] and b[0..<n].
    @inlinable @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(repeating: 0)
        var i = 0
        while i + 8 <= n {
            acc += UnsafeRawPointer(a + i).loadUnaligned(as: V.self) * UnsafeRawPointer(b + i).loadUnaligned(as: V.self)
            i += 8
        }
        var s = acc.sum()
        while i < n {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }
}
