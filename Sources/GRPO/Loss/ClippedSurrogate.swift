/// The clipped surrogate of one token (or one sequence) and its derivative with respect to the ratio r.
///
/// TRL `_compute_loss`: `coef_2 = clamp(r, 1 − ε_low, 1 + ε_high)`, `coef_1 = clamp(r, max=δ)`,
/// `loss = −min(coef_1·A, coef_2·A)`. verl `compute_policy_loss_vanilla`: `max(−A·r, −A·clip(r))`, then for
/// A < 0 `min(−A·c, ·)` (dual clip). The two agree when δ and c are off. Derivatives follow PyTorch's autograd:
/// a clamp passes gradient inside its closed interval, min/max split it evenly on ties.
public struct ClippedSurrogate: Sendable, Equatable {
    /// The token's loss.
    public var loss: Double
    /// d loss / d r.
    public var dRatio: Double
    /// TRL `is_low_clipped`: r (after δ) < 1 − ε_low and A < 0.
    public var lowClipped: Bool
    /// TRL `is_high_clipped`: r (after δ) > 1 + ε_high and A > 0.
    public var highClipped: Bool
    /// verl `pg_clipfrac_lower`: A < 0 and the dual clip −A·c is below the clipped loss.
    public var dualClipped: Bool

    public init(ratio r: Double, advantage a: Double, config: GRPOConfig) {
        let lo = 1 - config.epsilonLow
        let hi = 1 + config.epsilonHigh
        var r1 = r
        var dr1 = 1.0
        if let d = config.delta, r > d {
            r1 = d
            dr1 = 0
        }
        let r2 = min(max(r, lo), hi)
        let dr2: Double = (r >= lo && r <= hi) ? 1 : 0
        let l1 = -a * r1
        let l2 = -a * r2
        if l1 > l2 {
            (loss, dRatio) = (l1, -a * dr1)
        } else if l2 > l1 {
            (loss, dRatio) = (l2, -a * dr2)
        } else {
            (loss, dRatio) = (l1, -a * (dr1 + dr2) / 2)
        }
        dualClipped = false
        if let c = config.dualClip, a < 0 {
            let l3 = -a * c
            if l3 < loss {
                (loss, dRatio) = (l3, 0)
                dualClipped = true
            } else if l3 == loss {
                dRatio /= 2
            }
        }
        lowClipped = r1 < lo && a < 0
        highClipped = r1 > hi && a > 0
    }
}
