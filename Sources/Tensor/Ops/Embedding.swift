/// Token embedding lookup (llm.c `encoder_forward` without positions).
extension Tensor {
    /// out[i] = table[ids[i]]. Shapes: table [V, C], ids of `shape` → out [shape..., C].
    /// Every id must be in 0..<V (a programmer error otherwise; callers validate user ids).
    /// Backward: dtable[ids[i]] += dout[i].
    public static func embedding(_ table: Tensor, ids: [Int32], shape: [Int]) -> Tensor {
        precondition(table.shape.count == 2, "embedding: table must be [V, C], got \(table.shape)")
        precondition(ids.count == shape.reduce(1, *), "embedding: \(ids.count) ids do not fit shape \(shape)")
        let vocab = table.shape[0]
        let c = table.shape[1]
        let out = Storage(uninitialized: ids.count * c)
        for (i, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < vocab, "embedding: id \(id) outside vocabulary of \(vocab)")
            (out.pointer + i * c).update(from: table.data + Int(id) * c, count: c)
        }
        return result(shape + [c], out, inputs: [table]) { o in
            let g = o.gradStorage!.pointer
            let gt = table.ensureGrad()
            for (i, id) in ids.enumerated() {
                let dst = gt + Int(id) * c
                let src = g + i * c
                for j in 0..<c { dst[j] += src[j] }
            }
        }
    }
}
