import RewardKit

/// Seeded small Python-function tasks with call-based unit tests (CodeRewards `{"kind": "call"}` form).
///
/// Each family is one function `f` with an integer constant k (1…9): add k, multiply by k, subtract k, the
/// remainder mod k+1, max(x, k), the sum of a list plus k, the k-th power of 2 times x, …. A problem's canonical
/// key is its family and k, so held-out problems are (family, k) pairs never trained on. Tests call `f` on four
/// inputs drawn from the seed; the demonstration is the one-line function.
public struct PythonFunctionTasks: Sendable {
    /// Percentage of distinct problems kept for the held-out split (see `TaskSplit`).
    public var heldOutPercent: Int

    public init(heldOutPercent: Int = 20) throws(GRPOError) {
        guard (1...99).contains(heldOutPercent) else {
            throw GRPOError("held-out percent must be in 1...99, got \(heldOutPercent)")
        }
        self.heldOutPercent = heldOutPercent
    }

    /// One family: the description of f(x) with k, the body `return …`, and f evaluated in Swift for the tests.
    struct Family: Sendable {
        var name: String
        var describe: @Sendable (Int) -> String
        var body: @Sendable (Int) -> String
        var listInput: Bool
        var apply: @Sendable ([Int], Int) -> Int
    }

    static let families: [Family] = [
        Family(name: "add", describe: { "returns x plus \($0)" }, body: { "x + \($0)" }, listInput: false,
               apply: { x, k in x[0] + k }),
        Family(name: "sub", describe: { "returns x minus \($0)" }, body: { "x - \($0)" }, listInput: false,
               apply: { x, k in x[0] - k }),
        Family(name: "mul", describe: { "returns x times \($0)" }, body: { "x * \($0)" }, listInput: false,
               apply: { x, k in x[0] * k }),
        Family(name: "mod", describe: { "returns x modulo \($0 + 1)" }, body: { "x % \($0 + 1)" }, listInput: false,
               apply: { x, k in ((x[0] % (k + 1)) + (k + 1)) % (k + 1) }),
        Family(name: "max", describe: { "returns the larger of x and \($0)" }, body: { "max(x, \($0))" },
               listInput: false, apply: { x, k in max(x[0], k) }),
        Family(name: "min", describe: { "returns the smaller of x and \($0)" }, body: { "min(x, \($0))" },
               listInput: false, apply: { x, k in min(x[0], k) }),
        Family(name: "sumk", describe: { "returns the sum of the list x plus \($0)" }, body: { "sum(x) + \($0)" },
               listInput: true, apply: { x, k in x.reduce(0, +) + k }),
        Family(name: "lenk", describe: { "returns the length of the list x times \($0)" },
               body: { "len(x) * \($0)" }, listInput: true, apply: { x, k in x.count * k }),
    ]

    /// `count` distinct problems of `split` (at most the split's share of the 72 problems).
    public func generate(count: Int, split: TaskSplit, seed: UInt64) throws(GRPOError) -> [TaskItem] {
        var rng = SeededRandom(seed: seed)
        return try TaskSplit.collect(count: count, split: split, heldOutPercent: heldOutPercent, rng: &rng) { rng in
            let family = rng.pick(Self.families)
            let k = rng.int(1...9)
            var cases: [JSON] = []
            for _ in 0..<4 {
                let input = family.listInput
                    ? (0..<rng.int(0...4)).map { _ in rng.int(-9...9) } : [rng.int(-20...20)]
                let arg: JSON = family.listInput ? .array(input.map { .int(Int64($0)) }) : .int(Int64(input[0]))
                cases.append(["input": [arg], "output": .int(Int64(family.apply(input, k)))])
            }
            let tests: JSON = ["kind": "call", "fn": "f", "cases": .array(cases)]
            return ("py:\(family.name):\(k)", { index in
                TaskItem(
                    id: "py-\(split.rawValue)-\(String(index))",
                    prompt: "Write a Python function f(x) that \(family.describe(k)).\n", tests: tests,
                    language: "python", solution: "def f(x):\n    return \(family.body(k))\n")
            })
        }
    }
}
