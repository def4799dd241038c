/// Train / held-out partition of generated tasks, disjoint by construction.
///
/// Every generated task has a canonical key naming the problem itself (the numbers and operations, never the
/// wording), and the split is a pure function of that key: FNV-1a 64 of the key, modulo 100, below
/// `heldOutPercent` → held-out. So a problem can never be in both splits, whatever the seeds, and a held-out
/// problem is not seen in training under a different wording either.
public enum TaskSplit: String, Sendable, CaseIterable {
    case train
    case heldOut = "heldout"

    /// The split of the problem with canonical `key`.
    public static func of(key: String, heldOutPercent: Int) -> TaskSplit {
        fnv1a(key) % 100 < UInt64(heldOutPercent) ? .heldOut : .train
    }

    /// FNV-1a 64-bit hash of the UTF-8 bytes (Fowler, Noll, Vo; offset basis 0xcbf29ce484222325, prime 0x100000001b3).
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// Draws `count` distinct problems of `split` from `draw` (which returns a canonical key and the task),
    /// rejecting the other split's problems and repeats. Throws when the split runs out of distinct problems.
    static func collect(
        count: Int, split: TaskSplit, heldOutPercent: Int, rng: inout SeededRandom,
        draw: (inout SeededRandom) -> (key: String, task: (Int) -> TaskItem)
    ) throws(GRPOError) -> [TaskItem] {
        guard count >= 0 else { throw GRPOError("task count must be ≥ 0, got \(count)") }
        guard (1...99).contains(heldOutPercent) else {
            throw GRPOError("held-out percent must be in 1...99, got \(heldOutPercent)")
        }
        var seen = Set<String>()
        var out: [TaskItem] = []
        var misses = 0
        while out.count < count {
            let (key, make) = draw(&rng)
            if of(key: key, heldOutPercent: heldOutPercent) != split || seen.contains(key) {
                misses += 1
                if misses > 200 * (count + 10) {
                    throw GRPOError(
                        "only \(out.count) distinct \(split.rawValue) problems found of the \(count) asked for; "
                            + "ask for fewer or raise the difficulty")
                }
                continue
            }
            seen.insert(key)
            out.append(make(out.count))
        }
        return out
    }
}
