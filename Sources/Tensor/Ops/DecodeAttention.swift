/// Attention for decoding (few queries, no gradient): one pass per (batch row, key/value head) serving every
/// query head of the group at once, so each key and value row is read once per group instead of once per head
/// (grouped-query attention, Ainslie et al. 2023), and no probability matrix is kept for a backward pass.
extension AttentionGeometry {
    /// Floats of scratch one `groupedUnit` call needs (the scores of its group's queries).
    var groupScratch: Int { group * tq * len }

    /// Output rows of the query heads kh·group ..< (kh+1)·group of batch row `b`, for all `tq` queries:
    /// out = Σ_j softmax_j(q·k_j / √d) v_j over the keys each query sees (causal, `valid`), zeros when none.
    /// `k` and `v` point at this row's keys of head `kh`; `q` and `out` at the first head of the group.
    /// `scores` holds `groupScratch` floats.
    func groupedUnit(
        q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        out: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>, batch b: Int,
        valid: UnsafeBufferPointer<Bool>?
    ) {
        let rows = group * tq  // row r: query r / group, head r % group of the group
        func limit(_ r: Int) -> Int { Swift.min(len, offset + r / group + 1) }  // keys row r sees
        func query(_ r: Int) -> UnsafeMutablePointer<Float> { q + (r / group) * qStride + (r % group) * headDim }
        func output(_ r: Int) -> UnsafeMutablePointer<Float> { out + (r / group) * qStride + (r % group) * headDim }
        let keys = limit(rows - 1)
        // Scores of all rows against keys 0..<keys, four rows per pass so that each key chunk is loaded once for
        // four independent accumulators; entries past a row's causal limit are computed and then ignored.
        var r0 = 0
        while r0 < rows {
            let n = Swift.min(4, rows - r0)
            for j in 0..<keys {
                let kj = UnsafeRawPointer(k + j * kStride)
                var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                let q0 = UnsafeRawPointer(query(r0))
                let q1 = UnsafeRawPointer(query(r0 + Swift.min(1, n - 1)))
                let q2 = UnsafeRawPointer(query(r0 + Swift.min(2, n - 1)))
                let q3 = UnsafeRawPointer(query(r0 + Swift.min(3, n - 1)))
                var d = 0
                while d + 8 <= headDim {
                    let kv = kj.loadUnaligned(fromByteOffset: 4 * d, as: SIMD8<Float>.self)
                    acc.0 += kv * q0.loadUnaligned(fromByteOffset: 4 * d, as: SIMD8<Float>.self)
                    acc.1 += kv * q1.loadUnaligned(fromByteOffset: 4 * d, as: SIMD8<Float>.self)
                    acc.2 += kv * q2.loadUnaligned(fromByteOffset: 4 * d, as: SIMD8<Float>.self)
                    acc.3 += kv * q3.loadUnaligned(fromByteOffset: 4 * d, as: SIMD8<Float>.self)
                    d += 8
                }
                var dots = (acc.0.sum(), acc.1.sum(), acc.2.sum(), acc.3.sum())
                while d < headDim {
                    let kd = k[j * kStride + d]
                    dots.0 += kd * query(r0)[d]
                    dots.1 += kd * query(r0 + Swift.min(1, n - 1))[d]
                    dots.2 += kd * query(r0 + Swift.min(2, n - 1))[d]
                    dots.3 += kd * query(r0 + Swift.min(3, n - 1))[d]
                    d += 1
                }
                let row = scores + r0 * len + j
                row[0] = scale * dots.0
                if n > 1 { row[len] = scale * dots.1 }
                if n > 2 { row[2 * len] = scale * dots.2 }
                if n > 3 { row[3 * len] = scale * dots.3 }
            }
            r0 += 4
        }
        for r in 0..<rows {
            let lim = limit(r)
            maskedSoftmax(scores + r * len, limit: lim, batch: b, valid: valid)
            if lim < keys { (scores + r * len + lim).update(repeating: 0, count: keys - lim) }
        }
        // out_r = Σ_j p_rj v_j over 0..<keys (p is zero past a row's limit), eight lanes and four rows at a
        // time: each value chunk is loaded once for four independent accumulators.
        r0 = 0
        while r0 < rows {
            let n = Swift.min(4, rows - r0)
            let p0 = scores + r0 * len
            let p1 = scores + (r0 + Swift.min(1, n - 1)) * len
            let p2 = scores + (r0 + Swift.min(2, n - 1)) * len
            let p3 = scores + (r0 + Swift.min(3, n - 1)) * len
            var d = 0
            while d + 8 <= headDim {
                var acc = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                for j in 0..<keys {
                    let vj = UnsafeRawPointer(v + j * kStride + d).loadUnaligned(as: SIMD8<Float>.self)
                    acc.0 += p0[j] * vj
                    acc.1 += p1[j] * vj
                    acc.2 += p2[j] * vj
                    acc.3 += p3[j] * vj
                }
                UnsafeMutableRawPointer(output(r0) + d).storeBytes(of: acc.0, as: SIMD8<Float>.self)
                if n > 1 { UnsafeMutableRawPointer(output(r0 + 1) + d).storeBytes(of: acc.1, as: SIMD8<Float>.self) }
                if n > 2 { UnsafeMutableRawPointer(output(r0 + 2) + d).storeBytes(of: acc.2, as: SIMD8<Float>.self) }
                if n > 3 { UnsafeMutableRawPointer(output(r0 + 3) + d).storeBytes(of: acc.3, as: SIMD8<Float>.self) }
                d += 8
            }
            while d < headDim {
                for r in r0..<(r0 + n) {
                    var acc: Float = 0
                    for j in 0..<keys { acc += scores[r * len + j] * v[j * kStride + d] }
                    output(r)[d] = acc
                }
                d += 1
            }
            r0 += 4
        }
    }

    /// In place over row[0..<limit]: scores → probabilities, padding keys (`valid` false) and, when no key is
    /// visible, the whole row set to zero.
    func maskedSoftmax(
        _ row: UnsafeMutablePointer<Float>, limit: Int, batch b: Int, valid: UnsafeBufferPointer<Bool>?
    ) {
        var m = -Float.infinity
        if let valid {
            let base = b * cap
            for j in 0..<limit {
                if valid[base + j] { m = Swift.max(m, row[j]) } else { row[j] = -.infinity }
            }
        } else {
            m = FastMath.max(row, limit)
        }
        if m == -.infinity {
            row.update(repeating: 0, count: limit)
            return
        }
        for j in 0..<limit { row[j] -= m }
        FastMath.exp(row, row, limit)  // exp(−∞) = 0 for padding (the exp clamps, so mask again below)
        if let valid {
            let base = b * cap
            for j in 0..<limit where !valid[base + j] { row[j] = 0 }
        }
        let inv = Float(1 / FastMath.sum(row, limit))
        for j in 0..<limit { row[j] *= inv }
    }
}

extension Tensor {
    /// `attention`'s forward for few queries without gradient tracking: units (batch row, key/value head)
    /// spread over the cores, each through `groupedUnit`. Returns an untracked [B, Tq, heads·d] tensor.
    static func groupedAttention(
        q: Tensor, k: Tensor, v: Tensor, geometry geo: AttentionGeometry, valid: [Bool]?
    ) -> Tensor {
        let out = Storage(uninitialized: geo.batch * geo.tq * geo.qStride)
        let pq = SharedPointer(q.data)
        let pk = SharedPointer(k.data)
        let pv = SharedPointer(v.data)
        let po = SharedPointer(out.pointer)
        let units = geo.batch * geo.kvHeads
        @Sendable func run(_ range: Range<Int>, _ valid: SharedFlags?) {
            withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(geo.groupScratch, 1)) { scores in
                for unit in range {
                    let bi = unit / geo.kvHeads
                    let kh = unit % geo.kvHeads
                    geo.groupedUnit(
                        q: pq.p + geo.qOffset(bi, kh * geo.group), k: pk.p + geo.kOffset(bi, kh),
                        v: pv.p + geo.kOffset(bi, kh), out: po.p + geo.qOffset(bi, kh * geo.group),
                        scores: scores.baseAddress!, batch: bi, valid: valid?.flags)
                }
            }
        }
        // About two chunks per core, claimed dynamically by the pool's threads; a few units (one sequence) are
        // microseconds of work, less than waking a core costs, so they run on the caller.
        let chunks = units < 4 * Parallel.workers ? 1 : Swift.min(units, 2 * Parallel.workers)
        let per = (units + chunks - 1) / chunks
        func runAll(_ flags: SharedFlags?) {
            HotPool.shared.run(chunks) { c in
                run(Swift.min(units, c * per)..<Swift.min(units, (c + 1) * per), flags)
            }
        }
        if let valid {
            valid.withUnsafeBufferPointer { runAll(SharedFlags($0)) }
        } else {
            runAll(nil)
        }
        return Tensor(shape: [geo.batch, geo.tq, geo.qStride], storage: out)
    }
}

/// Read-only mask flags that may cross into parallel workers (nobody writes them during the loop).
private struct SharedFlags: @unchecked Sendable {
    let flags: UnsafeBufferPointer<Bool>
    init(_ flags: UnsafeBufferPointer<Bool>) { self.flags = flags }
}
