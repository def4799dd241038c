/// xoshiro256** pseudo-random generator (Blackman & Vigna, "Scrambled linear pseudorandom number
/// generators", 2018; reference code at prng.di.unimi.it/xoshiro256starstar.c), seeded through SplitMix64.
///
/// Deterministic on every platform; `state` can be saved and restored for exact resume.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Hashable, Codable {
    /// The four 64-bit words of state (never all zero).
    public var state: [UInt64]

    /// A generator whose state is filled by SplitMix64 from `seed` (the seeding the authors recommend).
    public init(seed: UInt64) {
        var s = seed
        state = (0..<4).map { _ in Xoshiro256.splitMix64(&s) }
    }

    /// A generator resuming from a saved `state` (four words, not all zero).
    public init(state: [UInt64]) throws {
        guard state.count == 4, state.contains(where: { $0 != 0 }) else {
            throw TensorError("xoshiro256 state must be 4 words, not all zero; got \(state)")
        }
        self.state = state
    }

    /// SplitMix64 step (Steele, Lea & Flood 2014), as in prng.di.unimi.it/splitmix64.c.
    public static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotl(state[3], 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Standard normal by the Box–Muller transform.
    public mutating func nextNormal() -> Double { nextNormalPair().0 }

    /// Two independent standard normals from one Box–Muller transform: r·cos θ and r·sin θ.
    public mutating func nextNormalPair() -> (Double, Double) {
        let u1 = max(nextUniform(), 0x1.0p-60)
        let u2 = nextUniform()
        let r = (-2 * _log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * _cos(theta), r * _sin(theta))
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

#if canImport(Glibc)
    import Glibc
    private func _log(_ x: Double) -> Double { Glibc.log(x) }
    private func _cos(_ x: Double) -> Double { Glibc.cos(x) }
    private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#else
    import Foundation
    private func _log(_ x: Double) -> Double { Foundation.log(x) }
    private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
    private func _sin(_ x: Double) -> Double { Foundation.sin(x) }
#endif
