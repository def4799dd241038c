import RewardKit

/// Seeded small Python-function tasks with call-based unit tests (CodeRewards `{"kind": "call"}` form).
///
/// Each family is one function `f` with an integer constant k (1…99): add k, subtract k, k minus x, multiply by k,
/// integer division by k, the remainder mod k+1, max(x, k), min(x, k), the sum of a list plus k, the length of a
/// list times k — 10 families × 99 constants = 990 problems. A problem's canonical key is its family and k, so
/// held-out problems are (family, k) pairs never trained on: solving one means reading k from the prompt and
/// putting it in the family's expression, a skill the train split teaches on other constants. Tests call `f` on
/// four inputs drawn from the seed; the demonstration is the one-line function, and the flawed teacher's
/// demonstration uses k + 1 (which the tests always reject).
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

    /// The constants k of every family.
    public static let constants = 1...99

    static let families: [Family] = [
        Family(
            name: "add", describe: { "returns x plus \($0)" }, body: { "x + \($0)" }, listInput: false,
            apply: { x, k in x[0] + k }),
        Family(
            name: "sub", describe: { "returns x minus \($0)" }, body: { "x - \($0)" }, listInput: false,
            apply: { x, k in x[0] - k }),
        Family(
            name: "rsub", describe: { "returns \($0) minus x" }, body: { "\($0) - x" }, listInput: false,
            apply: { x, k in k - x[0] }),
        Family(
            name: "mul", describe: { "returns x times \($0)" }, body: { "x * \($0)" }, listInput: false,
            apply: { x, k in x[0] * k }),
        Family(
            name: "div", describe: { "returns x divided by \($0), rounded down" }, body: { "x // \($0)" },
            listInput: false, apply: { x, k in floorDivision(x[0], k) }),
        Family(
            name: "mod", describe: { "returns x modulo \($0 + 1)" }, body: { "x % \($0 + 1)" }, listInput: false,
            apply: { x, k in ((x[0] % (k + 1)) + (k + 1)) % (k + 1) }),
        Family(
            name: "max", describe: { "returns the larger of x and \($0)" }, body: { "max(x, \($0))" },
            listInput: false, apply: { x, k in max(x[0], k) }),
        Family(
            name: "min", describe: { "returns the smaller of x and \($0)" }, body: { "min(x, \($0))" },
            listInput: false, apply: { x, k in min(x[0], k) }),
        Family(
            name: "sumk", describe: { "returns the sum of the list x plus \($0)" }, body: { "sum(x) + \($0)" },
            listInput: true, apply: { x, k in x.reduce(0, +) + k }),
        Family(
            name: "lenk", describe: { "returns the length of the list x times \($0)" },
            body: { "len(x) * \($0)" }, listInput: true, apply: { x, k in x.count * k }),
    ]

    /// `count` distinct problems of `split` (at most the split's share of the 990 problems).
    public func generate(count: Int, split: TaskSplit, seed: UInt64) throws(GRPOError) -> [TaskItem] {
        var rng = SeededRandom(seed: seed)
        return try TaskSplit.collect(count: count, split: split, heldOutPercent: heldOutPercent, rng: &rng) { rng in
            let family = rng.pick(Self.families)
            let k = rng.int(Self.constants)
            let inputs = Self.inputs(family, k: k, rng: &rng)
            let cases: [JSON] = inputs.map { input in
                let arg: JSON = family.listInput ? .array(input.map { .int(Int64($0)) }) : .int(Int64(input[0]))
                return ["input": [arg], "output": .int(Int64(family.apply(input, k)))]
            }
            let tests: JSON = ["kind": "call", "fn": "f", "cases": .array(cases)]
            return (
                "py:\(family.name):\(k)",
                { index in
                    TaskItem(
                        id: "py-\(split.rawValue)-\(String(index))",
                        prompt: "Write a Python function f(x) that \(family.describe(k)).\n", tests: tests,
                        language: "python", solution: "def f(x):\n    return \(family.body(k))\n",
                        flawedSolution: "def f(x):\n    return \(family.body(k + 1))\n")
                }
            )
        }
    }

    /// Four test inputs that tell k from its neighbours: drawn again (up to 1000 times) until the function with
    /// k − 1 and the one with k + 1 each fail at least one case, so a wrong constant never passes. Scalars come
    /// from −3(k+1)…3(k+1), which puts inputs on both sides of k for max/min and several quotients for //.
    static func inputs(_ family: Family, k: Int, rng: inout SeededRandom) -> [[Int]] {
        var inputs: [[Int]] = []
        for _ in 0..<1000 {
            inputs = (0..<4).map { _ in
                family.listInput
                    ? (0..<rng.int(0...4)).map { _ in rng.int(-9...9) } : [rng.int(-3 * (k + 1)...3 * (k + 1))]
            }
            let tells = { (other: Int) in inputs.contains { family.apply($0, other) != family.apply($0, k) } }
            if tells(k - 1) && tells(k + 1) { break }
        }
        return inputs
    }

    /// Python's `x // k` (rounded toward −∞); 0 for k = 0, which is never a constant of a task.
    static func floorDivision(_ x: Int, _ k: Int) -> Int {
        guard k != 0 else { return 0 }
        let q = x / k
        return x % k != 0 && (x < 0) != (k < 0) ? q - 1 : q
    }
}
