/// Seeded arithmetic word problems with a difficulty knob, answered by a single integer.
///
/// Difficulty 1: a + b with one-digit numbers (100 distinct problems), learnable by a ~0.2M-parameter model on
/// 2 cores in minutes. 2: a + b or a − b (result ≥ 0) with numbers below 20. 3: a + b, a − b or a × b with
/// numbers below 100 (products of one-digit numbers). 4: a op b op c, two operations, numbers below 50.
/// 5: a ± b ± c with one-digit numbers and every partial result ≥ 0 (2,605 problems), demonstrated step by step
/// (`7-2=5\n5+9=14`), so a held-out problem is a new combination of one-digit facts that training shows in
/// other problems.
/// Below 5 the demonstration (`solution`) is the answer alone (`8`): with a worked equation first (`3+5=8`), a tiny
/// policy sampling at temperature 1 is rewarded for right answers after wrongly copied equations, which slows
/// learning; and a bare `3+5=8` reads as an equation to MathVerify, as it does to math-verify.
/// The flawed demonstration (`flawedSolution`) stops after the first step at difficulty 5 and is off by one below.
public struct ArithmeticTasks: Sendable {
    public var difficulty: Int
    /// Percentage of distinct problems kept for the held-out split (see `TaskSplit`).
    public var heldOutPercent: Int

    public static let difficulties = 1...5

    public init(difficulty: Int, heldOutPercent: Int = 20) throws(GRPOError) {
        guard Self.difficulties.contains(difficulty) else {
            throw GRPOError("arithmetic difficulty must be in \(Self.difficulties), got \(difficulty)")
        }
        guard (1...99).contains(heldOutPercent) else {
            throw GRPOError("held-out percent must be in 1...99, got \(heldOutPercent)")
        }
        self.difficulty = difficulty
        self.heldOutPercent = heldOutPercent
    }

    /// `count` distinct problems of `split`, the same for the same seed.
    public func generate(count: Int, split: TaskSplit, seed: UInt64) throws(GRPOError) -> [TaskItem] {
        var rng = SeededRandom(seed: seed)
        let d = difficulty
        return try TaskSplit.collect(count: count, split: split, heldOutPercent: heldOutPercent, rng: &rng) { rng in
            let (ops, numbers) = Self.draw(difficulty: d, rng: &rng)
            let key = "arith:" + Self.expression(ops, numbers)
            let wording = rng.int(0...(Self.names.count * Self.items.count - 1))
            return (
                key,
                { index in
                    let value = Self.evaluate(ops, numbers)
                    return TaskItem(
                        id: "arith-\(d)-\(split.rawValue)-\(String(index))",
                        prompt: Self.words(ops, numbers, wording: wording), answer: String(value),
                        solution: d == 5 ? Self.steps(ops, numbers) : String(value),
                        flawedSolution: d == 5 ? Self.stepsStoppingEarly(ops, numbers) : String(value + 1))
                }
            )
        }
    }

    static let names = ["Ann", "Bob", "Eve", "Tom", "Kim", "Max"]
    static let items = ["apples", "pens", "coins", "cards"]

    /// Operators and operands of one problem.
    static func draw(difficulty: Int, rng: inout SeededRandom) -> ([Character], [Int]) {
        switch difficulty {
        case 1: return (["+"], [rng.int(0...9), rng.int(0...9)])
        case 2:
            let a = rng.int(0...19)
            let b = rng.int(0...19)
            return rng.int(0...1) == 0 ? (["+"], [a, b]) : (["-"], [max(a, b), min(a, b)])
        case 3:
            switch rng.int(0...2) {
            case 0: return (["+"], [rng.int(0...99), rng.int(0...99)])
            case 1:
                let a = rng.int(0...99)
                let b = rng.int(0...99)
                return (["-"], [max(a, b), min(a, b)])
            default: return (["*"], [rng.int(0...9), rng.int(0...9)])
            }
        case 5:
            while true {
                let ops: [Character] = [rng.int(0...1) == 0 ? "+" : "-", rng.int(0...1) == 0 ? "+" : "-"]
                let n = [rng.int(0...9), rng.int(0...9), rng.int(0...9)]
                if evaluate([ops[0]], n) >= 0 && evaluate(ops, n) >= 0 { return (ops, n) }
            }
        default:
            let a = rng.int(0...49)
            let b = rng.int(0...49)
            let c = rng.int(0...49)
            let second: Character = rng.int(0...1) == 0 ? "+" : "-"
            let ops: [Character] = ["+", second]
            return second == "-" && a + b < c ? (ops, [c, b, a]) : (ops, [a, b, c])
        }
    }

    /// Left-to-right value (no precedence is needed: × only appears alone).
    static func evaluate(_ ops: [Character], _ n: [Int]) -> Int {
        var v = n[0]
        for (i, op) in ops.enumerated() {
            switch op {
            case "+": v += n[i + 1]
            case "-": v -= n[i + 1]
            default: v *= n[i + 1]
            }
        }
        return v
    }

    /// The worked solution: one line per operation on the running value, `7-2=5\n5+9=14`.
    static func steps(_ ops: [Character], _ n: [Int]) -> String {
        var value = n[0]
        var lines: [String] = []
        for (i, op) in ops.enumerated() {
            let next = evaluate([op], [value, n[i + 1]])
            lines.append("\(value)\(op)\(n[i + 1])=\(next)")
            value = next
        }
        return lines.joined(separator: "\n")
    }

    /// The flawed teacher's solution at difficulty 5: the first step only, so the answer given is the intermediate
    /// result (`7-2=5`), the mistake of stopping one operation short. Below 5 the flawed answer is off by one.
    static func stepsStoppingEarly(_ ops: [Character], _ n: [Int]) -> String {
        String(steps(ops, n).split(separator: "\n")[0])
    }

    static func expression(_ ops: [Character], _ n: [Int]) -> String {
        var s = String(n[0])
        for (i, op) in ops.enumerated() { s += "\(op)\(n[i + 1])" }
        return s
    }

    /// The word problem: a story of getting (+), giving away (−) or buying boxes (×).
    static func words(_ ops: [Character], _ n: [Int], wording: Int) -> String {
        let name = names[wording % names.count]
        let item = items[wording / names.count]
        var s =
            ops.first == "*"
            ? "\(name) buys \(n[0]) boxes of \(n[1]) \(item)."
            : "\(name) has \(n[0]) \(item)."
        if ops.first != "*" {
            for (i, op) in ops.enumerated() {
                s += op == "+" ? " \(name) gets \(n[i + 1]) more." : " \(name) gives away \(n[i + 1])."
            }
        }
        return s + " How many \(item) now?\n"
    }
}
