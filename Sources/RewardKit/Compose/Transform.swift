/// Clamps a reward into `[min, max]`; components and reasons pass through.
public struct Clamp: Reward {
    public var inner: any Reward
    public var min: Double
    public var max: Double

    /// - Precondition: `min <= max` (recipes validate this before building one).
    public init(_ inner: any Reward, min: Double, max: Double) {
        precondition(min <= max, "Clamp needs min <= max, got \(min) > \(max)")
        self.inner = inner
        self.min = min
        self.max = max
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        await inner.score(batch).map { s in
            guard !s.isError else { return s }
            var out = s
            out.value = Swift.min(max, Swift.max(min, s.value))
            return out
        }
    }
}

/// `factor · r + offset`; components and reasons pass through.
public struct Scale: Reward {
    public var inner: any Reward
    public var factor: Double
    public var offset: Double

    public init(_ inner: any Reward, factor: Double, offset: Double = 0) {
        self.inner = inner
        self.factor = factor
        self.offset = offset
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        await inner.score(batch).map { s in
            guard !s.isError else { return s }
            var out = s
            out.value = factor * s.value + offset
            return out
        }
    }
}
