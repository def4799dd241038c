import Tensor

/// Keys and values of earlier positions for incremental decoding (inference only).
///
/// Per layer, K and V are [B, capacity, kvHeads·headDim], holding positions 0..<length; `valid` marks which
/// slots are real tokens (false for left padding). A forward pass over T new tokens writes slots
/// length..<length+T and then advances `length`.
public final class KVCache {
    /// Rows (sequences) held.
    public private(set) var batch: Int
    public let capacity: Int
    /// Positions stored so far.
    public private(set) var length: Int = 0
    /// batch × capacity flags: whether each slot holds a real token.
    public var valid: [Bool]
    var keys: [Tensor]
    var values: [Tensor]

    public init(config: LlamaConfig, batch: Int, capacity: Int) {
        self.batch = batch
        self.capacity = capacity
        let width = config.num_key_value_heads * config.head_dim
        keys = (0..<config.num_hidden_layers).map { _ in Tensor(zeros: [batch, capacity, width]) }
        values = (0..<config.num_hidden_layers).map { _ in Tensor(zeros: [batch, capacity, width]) }
        valid = Array(repeating: true, count: batch * capacity)
    }

    /// Copies new k, v [B, T, width] into slots length..<length+T of `layer`; returns the layer's full buffers.
    func store(layer: Int, k: Tensor, v: Tensor) -> (Tensor, Tensor) {
        let t = k.shape[1]
        let width = k.shape[2]
        precondition(length + t <= capacity, "KV cache of \(capacity) positions overflows at \(length + t)")
        for (src, dst) in [(k, keys[layer]), (v, values[layer])] {
            for b in 0..<batch {
                (dst.data + (b * capacity + length) * width).update(from: src.data + b * t * width, count: t * width)
            }
        }
        return (keys[layer], values[layer])
    }

    /// Keeps only the given rows, in that order (to drop finished sequences from a batch).
    public func keep(rows: [Int]) {
        precondition(rows.allSatisfy { $0 >= 0 && $0 < batch }, "KV cache rows \(rows) outside 0..<\(batch)")
        func compact(_ t: Tensor) -> Tensor {
            let width = t.shape[2]
            let n = capacity * width
            let out = Tensor(zeros: [rows.count, capacity, width])
            for (i, r) in rows.enumerated() { (out.data + i * n).update(from: t.data + r * n, count: n) }
            return out
        }
        keys = keys.map(compact)
        values = values.map(compact)
        valid = rows.flatMap { valid[($0 * capacity)..<(($0 + 1) * capacity)] }
        batch = rows.count
    }

    /// Records that `count` positions were appended by a forward pass.
    func advance(by count: Int) { length += count }
}
