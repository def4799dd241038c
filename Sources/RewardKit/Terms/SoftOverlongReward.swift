/// DAPO's soft overlong punishment (Yu et al. 2025, "DAPO", Eq. 13):
///
///     R(y) = 0                              if |y| ≤ L_max − L_cache
///          = ((L_max − L_cache) − |y|) / L_cache   if L_max − L_cache < |y| ≤ L_max
///          = −1                             if |y| > L_max
///
/// Same as open-r1's `get_soft_overlong_punishment(max_completion_len, soft_punish_cache)`. |y| counts tokens
/// (`completion_token_ids`) by default, as DAPO; `unit` may choose characters, bytes or words instead.
public struct SoftOverlongReward: SampleReward {
    public let maxLength: Int
    public let cache: Int
    public let unit: LengthUnit

    /// - Precondition: `0 < cache <= maxLength` (recipes check and say so).
    public init(maxLength: Int, cache: Int, unit: LengthUnit = .tokens) {
        precondition(
            cache > 0 && cache <= maxLength, "need 0 < cache <= maxLength, got cache \(cache), maxLength \(maxLength)")
        self.maxLength = maxLength
        self.cache = cache
        self.unit = unit
    }

    public func score(_ sample: Sample) -> Score {
        guard let n = unit.length(of: sample) else { return unit.missing() }
        let soft = maxLength - cache
        let value: Double
        if n <= soft {
            value = 0
        } else if n <= maxLength {
            value = Double(soft - n) / Double(cache)
        } else {
            value = -1
        }
        return Score(value, components: ["length": Double(n)])
    }
}
