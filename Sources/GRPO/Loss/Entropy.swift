import Foundation

/// Entropy of the next-token distribution softmax(z / T): H = logsumexp(z/T) − Σ_v p_v · z_v/T.
///
/// verl `torch_functional.entropy_from_logits` and TRL `utils.entropy_from_logits`, both applied to logits
/// already divided by the sampling temperature.
public enum TokenEntropy {
    /// - Parameter logits: one row of vocabulary logits (any finite values).
    public static func fromLogits(_ logits: [Double], temperature: Double) -> Double {
        let z = logits.map { $0 / temperature }
        guard let m = z.max() else { return 0 }
        var sum = 0.0
        for v in z { sum += Foundation.exp(v - m) }
        let logZ = m + Foundation.log(sum)
        var expected = 0.0
        for v in z { expected += Foundation.exp(v - logZ) * v }
        return logZ - expected
    }
}
