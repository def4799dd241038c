import Tensor

/// Picks one token from a row of logits: greedy, or temperature → top-k → top-p → categorical draw
/// (the order of HuggingFace's logits warpers: TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper).
struct TokenSampler: Sendable {
    let config: SamplingConfig

    /// Returns the chosen id and its log-probability under softmax(logits / T) (T = 1 when greedy).
    /// `weights` is scratch for `count` values: it receives exp((zⱼ − max z) / T), computed once and shared
    /// by the log-probability's normaliser and the draw.
    func pick(
        _ logits: UnsafePointer<Float>, count v: Int, weights: UnsafeMutablePointer<Double>, rng: inout Xoshiro256
    ) -> (Int32, Float) {
        var maxV = -Float.infinity
        var arg = 0
        for j in 0..<v where logits[j] > maxV {
            maxV = logits[j]
            arg = j
        }
        let inv = config.temperature > 0 ? 1 / Double(config.temperature) : 1
        var total = 0.0
        for j in 0..<v {
            weights[j] = _exp(Double(logits[j] - maxV) * inv)
            total += weights[j]
        }
        let chosen = config.temperature == 0 ? arg : draw(logits, v, weights, total, &rng)
        return (Int32(chosen), Float(Double(logits[chosen] - maxV) * inv - _log(total)))
    }

    /// A categorical draw from the weights, restricted to the top-k and then the top-p nucleus when set.
    private func draw(
        _ z: UnsafePointer<Float>, _ v: Int, _ w: UnsafeMutablePointer<Double>, _ total: Double,
        _ rng: inout Xoshiro256
    ) -> Int {
        let topK = config.topK > 0 && config.topK < v
        guard topK || config.topP < 1 else {
            // No filter: inverse CDF over all tokens in id order, no sort.
            var u = rng.nextUniform() * total
            for j in 0..<v {
                u -= w[j]
                if u < 0 { return j }
            }
            return v - 1
        }
        var candidates = Array(0..<v)
        candidates.sort { z[$0] > z[$1] || (z[$0] == z[$1] && $0 < $1) }
        if topK { candidates.removeLast(v - config.topK) }
        var kept = candidates.count
        var mass = 0.0
        for c in candidates { mass += w[c] }
        if config.topP < 1 {
            var cumulative = 0.0
            kept = 0
            while kept < candidates.count {
                cumulative += w[candidates[kept]]
                kept += 1
                if cumulative >= Double(config.topP) * mass { break }
            }
            mass = cumulative
        }
        var u = rng.nextUniform() * mass
        for c in candidates[..<kept] {
            u -= w[c]
            if u < 0 { return c }
        }
        return candidates[kept - 1]
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) func _exp(_ x: Double) -> Double { Glibc.exp(x) }
    @inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
#else
    import Foundation
    @inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
    @inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
#endif
