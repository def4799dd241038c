/// Which keys each query may see in `Tensor.attention`.
public struct AttentionMask: Sendable {
    /// Query i (0-based within the call) sees key j only if j ≤ `queryOffset` + i (causal); `queryOffset` is
    /// the number of keys already cached before these queries.
    public var queryOffset: Int
    /// Per batch row and key slot, whether the key is a real token (false for padding); nil means all real.
    /// Length batch × key capacity (the `k` tensor's second dimension).
    public var keyValid: [Bool]?

    public init(queryOffset: Int = 0, keyValid: [Bool]? = nil) {
        self.queryOffset = queryOffset
        self.keyValid = keyValid
    }
}

/// Causal multi-head attention with grouped-query heads (Ainslie et al. 2023, "GQA"):
/// O = softmax(Q Kᵀ / √d + mask) V per head, query head h reading key/value head h / (heads / kvHeads).
extension Tensor {
    /// Shapes: q [B, Tq, heads·d], k and v [B, S, kvHeads·d] with S ≥ `keyLength` (a KV cache may be larger
    /// than the keys in use) → [B, Tq, heads·d]. Keys `keyLength..<S` are ignored. A query that sees no key
    /// gets zeros. Backward (with P the probabilities, kept from the forward pass):
    /// dP = dO Vᵀ, dV += Pᵀ dO, dS = P ⊙ (dP − rowsum(dP ⊙ P)), dQ += dS K / √d, dK += dSᵀ Q / √d.
    public static func attention(
        q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, keyLength: Int? = nil,
        mask: AttentionMask = AttentionMask()
    ) -> Tensor {
        precondition(heads > 0 && kvHeads > 0 && heads % kvHeads == 0, "attention: \(heads) heads, \(kvHeads) kv heads")
        precondition(
            q.shape.count == 3 && k.shape.count == 3 && k.shape == v.shape,
            "attention: q \(q.shape) k \(k.shape) v \(v.shape)")
        let b = q.shape[0]
        let tq = q.shape[1]
        let hd = q.shape[2] / heads
        let cap = k.shape[1]
        let len = keyLength ?? cap
        precondition(
            q.shape[2] == heads * hd && k.shape[0] == b && k.shape[2] == kvHeads * hd && len <= cap,
            "attention: q \(q.shape) k \(k.shape) heads \(heads)/\(kvHeads) keys \(len)")
        if let valid = mask.keyValid {
            precondition(valid.count == b * cap, "attention: keyValid has \(valid.count) ≠ \(b)×\(cap)")
        }
        let geo = AttentionGeometry(
            batch: b, tq: tq, len: len, cap: cap, heads: heads, kvHeads: kvHeads, headDim: hd,
            offset: mask.queryOffset)
        let tracked = Tensor.isGradEnabled && (q.requiresGrad || k.requiresGrad || v.requiresGrad)
        if !tracked && tq <= AttentionGeometry.directQueries {
            return groupedAttention(q: q, k: k, v: v, geometry: geo, valid: mask.keyValid)
        }
        let out = Storage(uninitialized: b * tq * heads * hd)
        let probs = Storage(uninitialized: b * heads * tq * len)
        let valid = mask.keyValid
        let pq = SharedPointer(q.data)
        let pk = SharedPointer(k.data)
        let pv = SharedPointer(v.data)
        let po = SharedPointer(out.pointer)
        let pp = SharedPointer(probs.pointer)
        geo.forEach(units: b * heads) { unit, par in
            let bi = unit / heads
            let h = unit % heads
            let qp = pq.p + geo.qOffset(bi, h)
            let kp = pk.p + geo.kOffset(bi, h / geo.group)
            let vp = pv.p + geo.kOffset(bi, h / geo.group)
            let p = pp.p + unit * tq * len
            let op = po.p + geo.qOffset(bi, h)
            let valid = geo.padded(valid, batch: bi) ? valid : nil
            if tq <= AttentionGeometry.directQueries {
                geo.directUnit(q: qp, k: kp, v: vp, probs: p, out: op, batch: bi, valid: valid)
                return
            }
            for (i0, rows, keys) in geo.causalBlocks {
                BLAS.gemm(
                    transA: false, transB: true, m: rows, n: keys, k: hd, alpha: geo.scale, qp + i0 * geo.qStride,
                    lda: geo.qStride, kp, ldb: geo.kStride, beta: 0, p + i0 * len, ldc: len, parallel: par)
                for i in i0..<(i0 + rows) { geo.softmaxRow(p + i * len, query: i, batch: bi, valid: valid) }
                BLAS.gemm(
                    transA: false, transB: false, m: rows, n: hd, k: keys, p + i0 * len, lda: len, vp,
                    ldb: geo.kStride, beta: 0, op + i0 * geo.qStride, ldc: geo.qStride, parallel: par)
            }
        }
        return result([b, tq, heads * hd], out, inputs: [q, k, v]) { o in
            let dO = SharedPointer(o.gradStorage!.pointer)
            let scratch = Storage(count: q.requiresGrad && k.requiresGrad && v.requiresGrad ? 0 : max(q.count, k.count))
            let dq = SharedPointer(q.requiresGrad ? q.ensureGrad() : scratch.pointer)
            let dk = SharedPointer(k.requiresGrad ? k.ensureGrad() : scratch.pointer)
            let dv = SharedPointer(v.requiresGrad ? v.ensureGrad() : scratch.pointer)
            withExtendedLifetime((probs, scratch)) {
                // One unit per (batch row, kv head), so the dK and dV blocks of different units are disjoint.
                geo.forEach(units: b * kvHeads) { unit, par in
                    let bi = unit / kvHeads
                    let kh = unit % kvHeads
                    let kp = pk.p + geo.kOffset(bi, kh)
                    let vp = pv.p + geo.kOffset(bi, kh)
                    let dkp = dk.p + geo.kOffset(bi, kh)
                    let dvp = dv.p + geo.kOffset(bi, kh)
                    let dp = Storage(uninitialized: tq * len)  // each block writes the columns it reads
                    for h in kh * geo.group..<(kh + 1) * geo.group {
                        let p = pp.p + (bi * heads + h) * tq * len
                        for (i0, rows, keys) in geo.causalBlocks {
                            let qp = pq.p + geo.qOffset(bi, h) + i0 * geo.qStride
                            let dop = dO.p + geo.qOffset(bi, h) + i0 * geo.qStride
                            let dqp = dq.p + geo.qOffset(bi, h) + i0 * geo.qStride
                            let pb = p + i0 * len
                            let db = dp.pointer + i0 * len
                            BLAS.gemm(
                                transA: false, transB: true, m: rows, n: keys, k: hd, dop, lda: geo.qStride, vp,
                                ldb: geo.kStride, beta: 0, db, ldc: len, parallel: par)
                            BLAS.gemm(
                                transA: true, transB: false, m: keys, n: hd, k: rows, pb, lda: len, dop,
                                ldb: geo.qStride, beta: 1, dvp, ldc: geo.kStride, parallel: par)
                            for i in 0..<rows {
                                let pr = pb + i * len
                                let dr = db + i * len
                                let dot = FastMath.dot(pr, dr, keys)
                                for j in 0..<keys { dr[j] = pr[j] * (dr[j] - dot) }
                            }
                            BLAS.gemm(
                                transA: false, transB: false, m: rows, n: hd, k: keys, alpha: geo.scale, db,
                                lda: len, kp, ldb: geo.kStride, beta: 1, dqp, ldc: geo.qStride, parallel: par)
                            BLAS.gemm(
                                transA: true, transB: false, m: keys, n: hd, k: rows, alpha: geo.scale, db,
                                lda: len, qp, ldb: geo.qStride, beta: 1, dkp, ldc: geo.kStride, parallel: par)
                        }
                    }
                }
            }
        }
    }
}

/// Index arithmetic and the masked softmax shared by attention's forward and backward passes.
struct AttentionGeometry: Sendable {
    let batch, tq, len, cap, heads, kvHeads, headDim, offset: Int
    var group: Int { heads / kvHeads }
    var qStride: Int { heads * headDim }
    var kStride: Int { kvHeads * headDim }
    var scale: Float { 1 / Float(headDim).squareRoot() }

    /// Query rows per causal block: a block only multiplies the keys its last row can see.
    static let blockRows = 64

    /// (first row, rows, visible keys) of each block of queries; later blocks see more keys, so causal
    /// attention does about half the work of the full score matrix.
    var causalBlocks: [(Int, Int, Int)] {
        stride(from: 0, to: tq, by: Self.blockRows).map { i0 in
            let rows = min(Self.blockRows, tq - i0)
            return (i0, rows, min(len, offset + i0 + rows))
        }
    }

    func qOffset(_ b: Int, _ h: Int) -> Int { b * tq * qStride + h * headDim }
    func kOffset(_ b: Int, _ kh: Int) -> Int { b * cap * kStride + kh * headDim }

    /// Runs `body(unit, parallelGemm)` for every unit: across the cores when there are enough units (each
    /// product then on its worker's thread), otherwise in order with products that may use every core.
    func forEach(units: Int, _ body: @Sendable (Int, Bool) -> Void) {
        if units >= Parallel.workers {
            Parallel.forEach(units) { r in for u in r { body(u, false) } }
        } else {
            for u in 0..<units { body(u, true) }
        }
    }

    /// Up to this many queries per head (decoding), attention runs as direct dot products instead of BLAS
    /// calls, whose fixed cost dominates such small products.
    static let directQueries = 4

    /// Forward of one (batch row, head) for few queries: scores by dot products, masked softmax, then the
    /// probability-weighted sum of value rows. Writes the same `probs` rows as the BLAS path.
    func directUnit(
        q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        probs: UnsafeMutablePointer<Float>, out: UnsafeMutablePointer<Float>, batch b: Int, valid: [Bool]?
    ) {
        for i in 0..<tq {
            let row = probs + i * len
            let qi = q + i * qStride
            let oi = out + i * qStride
            let limit = min(len, offset + i + 1)
            for j in 0..<limit { row[j] = scale * FastMath.dot(qi, k + j * kStride, headDim) }
            softmaxRow(row, query: i, batch: b, valid: valid)
            // out = Σ_j p_j v_j, eight output lanes at a time so each partial sum stays in a register.
            var d = 0
            while d + 8 <= headDim {
                var acc = SIMD8<Float>(repeating: 0)
                for j in 0..<limit {
                    acc += row[j] * UnsafeRawPointer(v + j * kStride + d).loadUnaligned(as: SIMD8<Float>.self)
                }
                UnsafeMutableRawPointer(oi + d).storeBytes(of: acc, as: SIMD8<Float>.self)
                d += 8
            }
            while d < headDim {
                var acc: Float = 0
                for j in 0..<limit { acc += row[j] * v[j * kStride + d] }
                oi[d] = acc
                d += 1
            }
        }
    }

    /// Whether batch row `b` has a padding key among the first `len` (false when `valid` is nil).
    func padded(_ valid: [Bool]?, batch b: Int) -> Bool {
        guard let valid else { return false }
        return valid[(b * cap)..<(b * cap + len)].contains(false)
    }

    /// In place: scores of query `query` → probabilities over its visible keys, zero elsewhere. Pass `valid`
    /// nil for a batch row without padding (see `padded`): the row then takes a path without per-key checks.
    func softmaxRow(_ row: UnsafeMutablePointer<Float>, query: Int, batch b: Int, valid: [Bool]?) {
        let limit = min(len, offset + query + 1)
        if valid == nil && limit > 0 {
            let m = FastMath.max(row, limit)
            for j in 0..<limit { row[j] -= m }
            FastMath.exp(row, row, limit)
            let inv = Float(1 / FastMath.sum(row, limit))
            for j in 0..<limit { row[j] *= inv }
            if limit < len { (row + limit).update(repeating: 0, count: len - limit) }
            return
        }
        var m = -Float.infinity
        for j in 0..<limit where valid?[b * cap + j] ?? true { m = max(m, row[j]) }
        if m == -.infinity {  // no visible key
            row.update(repeating: 0, count: len)
            return
        }
        if let valid {
            for j in 0..<limit where !valid[b * cap + j] { row[j] = -.infinity }
        }
        for j in 0..<limit { row[j] -= m }
        FastMath.exp(row, row, limit)
        if let valid {
            for j in 0..<limit where !valid[b * cap + j] { row[j] = 0 }
        }
        let inv = Float(1 / FastMath.sum(row, limit))
        for j in 0..<limit { row[j] *= inv }
        if limit < len { (row + limit).update(repeating: 0, count: len - limit) }
    }
}
