import ArgumentParser
import GRPO
import RewardKit
import RewardModels

/// `grpo tasks`: prints a task set as JSONL (the schema of Datasets/README.md), or its preference pairs.
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "Print generated or loaded tasks as JSON lines (id, prompt, answer/tests, solution).")

    @OptionGroup var taskOptions: TaskOptions

    @Flag(
        help: ArgumentHelp(
            "Print preference pairs instead: {\"prompt\", \"chosen\": the correct demonstration, \"rejected\": "
                + "the flawed one} for every task whose two demonstrations differ (generated tasks; grpo rm train "
                + "reads them)."))
    var pairs = false

    func run() throws {
        let tasks = try taskOptions.load()
        guard pairs else {
            for task in tasks { print(task.json.jsonText) }
            return
        }
        let made = tasks.compactMap(Self.pair)
        guard !made.isEmpty else {
            throw ValidationError("--pairs: no task of \(taskOptions.tasks) has a flawed demonstration that differs")
        }
        for pair in made { print(pair.json.jsonText) }
    }

    /// The correct demonstration preferred to the flawed one, when the task has both and they differ.
    static func pair(_ task: TaskItem) -> PreferencePair? {
        guard let good = task.solution, let bad = task.flawedSolution, good != bad else { return nil }
        return PreferencePair(prompt: task.prompt, chosen: good, rejected: bad)
    }
}
