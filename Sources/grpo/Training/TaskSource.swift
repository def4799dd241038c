import ArgumentParser
import Foundation
import GRPO
import RewardKit

/// `--tasks` and its companions: which tasks, which split, how many.
struct TaskOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Task set: arith:<difficulty 1-5> (generated word problems), python (generated functions with unit tests), "
                + "or <format>:<path> with format gsm8k, math, humaneval, mbpp, arbiter (JSONL; .gz read with gzip -dc).",
            valueName: "spec"))
    var tasks: String = "arith:1"

    @Option(help: "Split of a generated task set: train or heldout (disjoint by construction).")
    var split: String = "train"

    @Option(name: .customLong("task-count"), help: "Number of tasks to generate or read (1-100000).")
    var taskCount: Int = 80

    @Option(name: .customLong("task-seed"), help: "Seed of the task generator (any unsigned integer).")
    var taskSeed: UInt64 = 1

    @Option(name: .customLong("held-out-percent"), help: "Share of generated problems kept for heldout (1-99).")
    var heldOutPercent: Int = 20

    func validate() throws {
        guard TaskSplit(rawValue: split) != nil else {
            throw ValidationError("--split must be train or heldout, got \(split)")
        }
        guard (1...100_000).contains(taskCount) else {
            throw ValidationError("--task-count must be in 1...100000, got \(taskCount)")
        }
        guard (1...99).contains(heldOutPercent) else {
            throw ValidationError("--held-out-percent must be in 1...99, got \(heldOutPercent)")
        }
    }

    /// The recipe that scores this task set when none is given: math for answers, code for tests.
    var defaultRecipe: String {
        tasks == "python" || tasks.hasPrefix("humaneval:") || tasks.hasPrefix("mbpp:") ? "code" : "math"
    }

    var json: JSON {
        [
            "tasks": .string(tasks), "split": .string(split), "task_count": .int(Int64(taskCount)),
            "task_seed": .int(Int64(bitPattern: taskSeed)), "held_out_percent": .int(Int64(heldOutPercent)),
        ]
    }

    /// Loads (or generates) the tasks.
    func load() throws -> [TaskItem] {
        let split = TaskSplit(rawValue: split)!
        if tasks.hasPrefix("arith:") {
            guard let d = Int(tasks.dropFirst(6)) else {
                throw ValidationError("--tasks \(tasks): difficulty must be 1-5")
            }
            return try ArithmeticTasks(difficulty: d, heldOutPercent: heldOutPercent)
                .generate(count: taskCount, split: split, seed: taskSeed)
        }
        if tasks == "python" {
            return try PythonFunctionTasks(heldOutPercent: heldOutPercent)
                .generate(count: taskCount, split: split, seed: taskSeed)
        }
        guard let colon = tasks.firstIndex(of: ":"), let format = TaskFormat(rawValue: String(tasks[..<colon])) else {
            throw ValidationError(
                "--tasks \(tasks): expected arith:<1-5>, python, or <gsm8k|math|humaneval|mbpp|arbiter>:<path>")
        }
        let records = try JSONLinesFile.read(String(tasks[tasks.index(after: colon)...]))
        return try records.prefix(taskCount).enumerated().map { try format.task($1, index: $0) }
    }
}
