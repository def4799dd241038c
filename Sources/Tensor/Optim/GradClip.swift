/// Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_`.
public enum GradClip {
    /// The L2 norm of all gradients together; if it exceeds `maxNorm`, every gradient is scaled by
    /// maxNorm / (norm + 1e-6). Returns the norm before clipping.
    @discardableResult
    public static func clipGlobalNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
        var total = 0.0
        for p in parameters {
            guard let g = p.gradStorage?.pointer else { continue }
            for j in 0..<p.count { total += Double(g[j]) * Double(g[j]) }
        }
        let norm = Float(total.squareRoot())
        let coef = maxNorm / (norm + 1e-6)
        if coef < 1 {
            for p in parameters {
                guard let g = p.gradStorage?.pointer else { continue }
                for j in 0..<p.count { g[j] *= coef }
            }
        }
        return norm
    }
}
