/// verl `torch_functional.masked_whiten` (verl-project/verl@1dda039b): (x − μ)·(σ² + 1e-8)^(−1/2) at every position,
/// with μ = Σ m·x / (Σ m + 1e-8) and σ² the masked variance with Bessel's correction N / (N − 1) over the N valid
/// positions of the whole batch. verl raises for N ≤ 1; so does this.
public enum Whitening {
    public static func masked(_ x: [[Double]], mask: [[Double]], what: String) throws(GRPOError) -> [[Double]] {
        var count = 0.0
        var sum = 0.0
        for i in mask.indices {
            for t in mask[i].indices where mask[i][t] != 0 {
                (count, sum) = (count + mask[i][t], sum + x[i][t] * mask[i][t])
            }
        }
        guard count > 1 else {
            throw GRPOError(
                "the \(what) estimator whitens over the batch's valid tokens and needs at least 2, got \(Int(count))")
        }
        let mean = sum / (count + 1e-8)
        var squares = 0.0
        for i in mask.indices {
            for t in mask[i].indices where mask[i][t] != 0 {
                squares += (x[i][t] - mean) * (x[i][t] - mean) * mask[i][t]
            }
        }
        let variance = squares / (count + 1e-8) * count / (count - 1)
        let scale = 1 / (variance + 1e-8).squareRoot()
        return x.map { $0.map { ($0 - mean) * scale } }
    }
}
