/// NumPy broadcasting of two shapes: dimensions are aligned from the right and a dimension of 1
/// (or a missing one) stretches to the other's size.
struct Broadcast {
    /// The broadcast shape.
    let shape: [Int]
    let count: Int
    /// For each flat output index, the flat index into a (nil when a already has the output shape).
    let indexA: [Int]?
    /// Likewise for b.
    let indexB: [Int]?

    /// Nil when the shapes cannot be broadcast together.
    init?(_ a: [Int], _ b: [Int]) {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else { return nil }
        }
        shape = out
        count = out.reduce(1, *)
        indexA = pa == out ? nil : Broadcast.indexMap(pa, out)
        indexB = pb == out ? nil : Broadcast.indexMap(pb, out)
    }

    /// Flat index into a tensor of shape `src` (rank-aligned with `out`) for every flat output index.
    private static func indexMap(_ src: [Int], _ out: [Int]) -> [Int] {
        let rank = out.count
        var strides = Array(repeating: 0, count: rank)
        var s = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            strides[d] = src[d] == 1 ? 0 : s
            s *= src[d]
        }
        let n = out.reduce(1, *)
        var map = [Int](repeating: 0, count: n)
        var idx = Array(repeating: 0, count: rank)
        var flat = 0
        for i in 0..<n {
            map[i] = flat
            var d = rank - 1
            while d >= 0 {
                idx[d] += 1
                flat += strides[d]
                if idx[d] < out[d] { break }
                flat -= strides[d] * idx[d]
                idx[d] = 0
                d -= 1
            }
        }
        return map
    }
}
