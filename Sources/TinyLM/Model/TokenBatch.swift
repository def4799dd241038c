/// Sequences of different lengths packed into one right-padded [B, T] batch.
public struct TokenBatch: Sendable {
    public let batch: Int
    /// T, the longest sequence.
    public let length: Int
    /// B·T ids, row-major, padding filled with `pad`.
    public let tokens: [Int32]
    /// Real length of each sequence.
    public let lengths: [Int]
    /// B·T flags: true for real tokens.
    public let keyValid: [Bool]
    /// B·T RoPE positions (0, 1, 2, … in each row).
    public let positions: [Int32]

    /// Packs `sequences` (at least one, none empty) with padding id `pad`.
    public init(_ sequences: [[Int32]], pad: Int32 = 0) throws {
        guard !sequences.isEmpty else { throw TinyLMError("a batch needs at least one sequence") }
        if let i = sequences.firstIndex(where: \.isEmpty) { throw TinyLMError("sequence \(i) of the batch is empty") }
        batch = sequences.count
        length = sequences.map(\.count).max()!
        lengths = sequences.map(\.count)
        var tokens: [Int32] = []
        var valid: [Bool] = []
        var positions: [Int32] = []
        for s in sequences {
            tokens += s + Array(repeating: pad, count: length - s.count)
            valid += Array(repeating: true, count: s.count) + Array(repeating: false, count: length - s.count)
            positions += (0..<length).map { Int32($0) }
        }
        self.tokens = tokens
        self.keyValid = valid
        self.positions = positions
    }

    /// B·(T−1) flags: whether target position i+1 of each row is a real token (the mask of `tokenLogProbs`).
    public var targetMask: [Bool] { targetMask(from: Array(repeating: 0, count: batch)) }

    /// B·(T−1) flags: whether target i+1 of row b is a real token at or after `starts[b]`, e.g. the first
    /// completion token after a prompt, so a policy loss covers only generated tokens.
    public func targetMask(from starts: [Int]) -> [Bool] {
        precondition(starts.count == batch, "targetMask: \(starts.count) starts for \(batch) rows")
        return (0..<batch).flatMap { b in (1..<length).map { $0 >= starts[b] && $0 < lengths[b] } }
    }
}
