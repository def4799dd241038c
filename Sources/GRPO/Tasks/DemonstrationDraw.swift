/// How `grpo sft` draws a demonstration: a uniformly random task, then its `flawedSolution` with probability
/// `flawedRate` and its `solution` otherwise — a teacher that makes the task's characteristic mistake (a wrong
/// constant, a step left out) that often. The warm start such a teacher gives is where reinforcement learning with a
/// verifier has something to correct: the model has learned the skill and the mistake side by side.
public struct DemonstrationDraw: Sendable {
    public let tasks: [TaskItem]
    /// Probability in [0, 1] that a draw is the flawed demonstration.
    public let flawedRate: Double

    /// Throws when there are no tasks, the rate is outside [0, 1], a task has no solution, or (rate > 0) a task has
    /// no flawed solution; the error names the first such task.
    public init(tasks: [TaskItem], flawedRate: Double = 0) throws(GRPOError) {
        guard !tasks.isEmpty else { throw GRPOError("no tasks to draw demonstrations from") }
        guard flawedRate >= 0, flawedRate <= 1 else {
            throw GRPOError("the flawed-demonstration rate must be in [0, 1], got \(flawedRate)")
        }
        if let t = tasks.first(where: { $0.solution == nil }) {
            throw GRPOError("task \(t.id) has no solution to learn from")
        }
        if flawedRate > 0, let t = tasks.first(where: { $0.flawedSolution == nil }) {
            throw GRPOError("task \(t.id) has no flawed solution (only the arith and python generators make them)")
        }
        self.tasks = tasks
        self.flawedRate = flawedRate
    }

    /// The next draw: the task's index and whether its flawed demonstration is used. With rate 0 it consumes exactly
    /// one number of `rng` (so runs without flawed demonstrations are unchanged by this option's existence).
    public func next(_ rng: inout SeededRandom) -> (index: Int, flawed: Bool) {
        let index = rng.int(0...(tasks.count - 1))
        return (index, flawedRate > 0 && rng.unit() < flawedRate)
    }

    /// The demonstration text of a draw.
    public func text(_ draw: (index: Int, flawed: Bool)) -> String {
        let t = tasks[draw.index]
        return (draw.flawed ? t.flawedSolution : t.solution) ?? ""
    }
}
