import Tensor

/// Picks one token from a row of logits: greedy, or temperature → top-k → top-p → categorical draw
/// (the order of HuggingFace's logits warpers: TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper).
struct TokenSampler {
    let config: SamplingConfig

    /// Returns the chosen id and its log-probability under softmax(logits / T) (T = 1 when greedy).
    func pick(_ logits: UnsafePointer<Float>, count v: Int, rng: inout Xoshiro256) -> (Int32, Float) {
        var maxV = -Float.infinity
        var arg = 0
        for j in 0..<v where logits[j] > maxV {
            maxV = logits[j]
            arg = j
        }
        let inv = config.temperature > 0 ? 1 / Double(config.temperature) : 1
        var total = 0.0
        for j in 0..<v { total += _exp(Double(logits[j] - maxV) * inv) }
        let chosen = config.temperature == 0 ? arg : draw(logits, v, maxV, &rng)
        return (Int32(chosen), Float(Double(logits[chosen] - maxV) * inv - _log(total)))
    }

    private func draw(_ z: UnsafePointer<Float>, _ v: Int, _ maxV: Float, _ rng: inout Xoshiro256) -> Int {
        let inv = Double(1 / config.temperature)
        var candidates = Array(0..<v)
        let filter = (config.topK > 0 && config.topK < v) || config.topP < 1
        if filter {
            candidates.sort { z[$0] > z[$1] || (z[$0] == z[$1] && $0 < $1) }
            if config.topK > 0 && config.topK < v { candidates.removeLast(v - config.topK) }
        }
        var weights = candidates.map { _exp(Double(z[$0] - maxV) * inv) }
        var mass = weights.reduce(0, +)
        if config.topP < 1 {
            var keep = 0
            var cumulative = 0.0
            while keep < weights.count {
                cumulative += weights[keep]
                keep += 1
                if cumulative >= Double(config.topP) * mass { break }
            }
            weights.removeLast(weights.count - keep)
            mass = cumulative
        }
        var u = rng.nextUniform() * mass
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return candidates[i] }
        }
        return candidates[weights.count - 1]
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
