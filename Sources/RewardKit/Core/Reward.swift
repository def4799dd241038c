/// A reward scores a batch of samples.
///
/// Contract: `score` returns exactly one `Score` per sample, in the order given, and never throws: a sample
/// that cannot be scored gets a `Score` with `error` set. Implementations must be safe to call concurrently.
/// Batches let a reward share work (one plugin round trip, group statistics such as length rewards).
public protocol Reward: Sendable {
    func score(_ batch: [Sample]) async -> [Score]
}

/// A reward that scores each sample on its own, synchronously. The batch method scores the samples
/// concurrently when the batch is large enough for that to pay.
public protocol SampleReward: Reward {
    func score(_ sample: Sample) -> Score
}

extension SampleReward {
    public func score(_ batch: [Sample]) async -> [Score] {
        await ParallelMap.map(batch) { score($0) }
    }
}

/// Wraps a closure as a reward; handy for custom Swift rewards and tests.
public struct ClosureReward: SampleReward {
    let body: @Sendable (Sample) -> Score
    public init(_ body: @escaping @Sendable (Sample) -> Score) { self.body = body }
    public func score(_ sample: Sample) -> Score { body(sample) }
}
