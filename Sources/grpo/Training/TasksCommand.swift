import ArgumentParser
import GRPO
import RewardKit

/// `grpo tasks`: prints a task set as JSONL (the schema of Datasets/README.md).
struct TasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "Print generated or loaded tasks as JSON lines (id, prompt, answer/tests, solution).")

    @OptionGroup var taskOptions: TaskOptions

    func run() throws {
        for task in try taskOptions.load() { print(task.json.jsonText) }
    }
}
