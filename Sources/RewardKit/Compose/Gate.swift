/// `then` counts only where `condition` passes: value = then(s) if condition(s) ≥ threshold, else `otherwise`.
///
/// The typical use is "the answer counts only if the format is right". The condition's value is reported as
/// the component `gate`. A failing condition is a failure of the gate; a failing `then` only matters when
/// the gate is open.
public struct Gate: Reward {
    public var condition: any Reward
    public var threshold: Double
    public var then: any Reward
    public var otherwise: Double

    public init(_ condition: any Reward, threshold: Double = 1, then: any Reward, otherwise: Double = 0) {
        self.condition = condition
        self.threshold = threshold
        self.then = then
        self.otherwise = otherwise
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        async let gateScores = condition.score(batch)
        async let thenScores = then.score(batch)
        let (g, t) = await (gateScores, thenScores)
        return batch.indices.map { i in
            if let e = g[i].error { return .failure("gate: \(e)") }
            var components = t[i].components
            components["gate"] = g[i].value
            guard g[i].value >= threshold else {
                return Score(
                    otherwise, components: components, reason: "gate closed (\(g[i].value) < \(threshold))",
                    verdict: t[i].verdict)
            }
            if let e = t[i].error { return .failure(e, components: components) }
            return Score(t[i].value, components: components, reason: t[i].reason, verdict: t[i].verdict)
        }
    }
}
