import Foundation

/// Learning rate by step: linear warmup, then cosine decay or constant, as HuggingFace transformers'
/// `get_cosine_schedule_with_warmup` / `get_constant_schedule_with_warmup` (transformers/optimization.py).
public struct LRSchedule: Sendable, Codable, Equatable {
    public enum Decay: String, Sendable, Codable { case cosine, constant }

    /// Peak learning rate, reached at the end of warmup.
    public var peak: Float
    /// Steps of linear warmup from 0 (lr(s) = peak · s / warmup for s < warmup).
    public var warmupSteps: Int
    /// Total steps; cosine reaches `minRatio · peak` here.
    public var totalSteps: Int
    public var decay: Decay
    /// Floor of the cosine as a fraction of the peak (0 = HuggingFace's plain cosine).
    public var minRatio: Float

    public init(peak: Float, warmupSteps: Int = 0, totalSteps: Int, decay: Decay = .cosine, minRatio: Float = 0) throws
    {
        guard peak >= 0, peak.isFinite else { throw TensorError("learning rate must be finite and ≥ 0, got \(peak)") }
        guard warmupSteps >= 0 else { throw TensorError("warmup steps must be ≥ 0, got \(warmupSteps)") }
        guard totalSteps >= warmupSteps else {
            throw TensorError("total steps \(totalSteps) must be at least the warmup steps \(warmupSteps)")
        }
        guard (0...1).contains(minRatio) else {
            throw TensorError("minimum lr ratio must be in [0, 1], got \(minRatio)")
        }
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.decay = decay
        self.minRatio = minRatio
    }

    /// The learning rate for 0-based `step`.
    public func lr(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step) / Float(max(1, warmupSteps)) }
        switch decay {
        case .constant: return peak
        case .cosine:
            let progress = min(1, Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps)))
            let c = 0.5 * (1 + cos(Double.pi * progress))
            return peak * (minRatio + (1 - minRatio) * Float(c))
        }
    }
}
