/// The work allowance of one check. Every loop that depends on input size ticks it, so a check ends after at most
/// `maxSteps` ticks whatever the input. One budget belongs to one check (a reference type only so the parser,
/// evaluator and comparer share it); it is never shared between threads.
final class Budget {
    let maxSteps: Int
    let maxDepth: Int
    let maxBits: Int
    private(set) var steps = 0
    private(set) var depth = 0

    init(maxSteps: Int, maxDepth: Int, maxBits: Int) {
        self.maxSteps = maxSteps
        self.maxDepth = maxDepth
        self.maxBits = maxBits
    }

    /// Spends `n` steps; throws once the total passes `maxSteps`.
    @inline(__always)
    func tick(_ n: Int = 1) throws(MathVerifyError) {
        steps += n
        if steps > maxSteps { throw .overBudget(limit: "steps", value: maxSteps) }
    }

    /// Runs `body` one nesting level deeper; throws past `maxDepth` so recursion never exhausts the stack.
    @inline(__always)
    func nested<T>(_ body: () throws(MathVerifyError) -> T) throws(MathVerifyError) -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > maxDepth { throw .overBudget(limit: "nesting depth", value: maxDepth) }
        return try body()
    }

    /// Throws when a number of `bits` bits would be larger than allowed.
    @inline(__always)
    func checkBits(_ bits: Int) throws(MathVerifyError) {
        if bits > maxBits { throw .overBudget(limit: "number bits", value: maxBits) }
    }
}
