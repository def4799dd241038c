/// The critic's metrics of one step under verl's names (verl-project/verl@1dda039b, metric_utils.py
/// `compute_data_metrics` with `use_critic`, and the critic's `critic/vf_loss`, `critic/vf_clipfrac` from
/// losses.py averaged over its updates as `reduce_metrics` does):
///
///     critic/values/mean, critic/returns/mean, critic/advantages/mean   means over the valid tokens
///     critic/vf_explained_var = 1 − Var(R − V) / (Var(R) + 1e-5)        (torch.var: unbiased)
///
/// V are the rollout-time values, R the estimator's returns, the advantages after whitening.
public struct CriticMetrics: Sendable {
    public var entries: [(String, Double)]

    public init(values: [[Double]], advantages: AdvantageEstimate, mask: [[Double]], valueLosses: [ValueLoss]) {
        var v: [Double] = []
        var r: [Double] = []
        var a: [Double] = []
        for i in mask.indices {
            for t in mask[i].indices where mask[i][t] != 0 {
                v.append(values[i][t])
                r.append(advantages.returns[i][t])
                a.append(advantages.tokens?[i][t] ?? advantages.rows?[i] ?? 0)
            }
        }
        let explained = v.count < 2 ? 0 : 1 - Self.variance(zip(r, v).map { $0 - $1 }) / (Self.variance(r) + 1e-5)
        entries = [
            (MetricKeys.vfLoss, StepMetrics.average(valueLosses.map(\.loss))),
            (MetricKeys.vfClipFraction, StepMetrics.average(valueLosses.map(\.clipFraction))),
            (MetricKeys.vfExplainedVariance, explained),
            (MetricKeys.valuesMean, StepMetrics.average(v)),
            (MetricKeys.returnsMean, StepMetrics.average(r)),
            (MetricKeys.advantagesMean, StepMetrics.average(a)),
        ]
    }

    /// The unbiased variance (Bessel's correction), as `torch.var`.
    static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return 0 }
        let mean = StepMetrics.average(x)
        return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
    }
}
