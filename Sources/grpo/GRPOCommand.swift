import ArgumentParser
import Tensor

/// `grpo`: train, inspect and cross-check small language models with GRPO on verifiable rewards.
@main
struct GRPOCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo",
        abstract: "Train and inspect small language models with GRPO on verifiable rewards.",
        subcommands: [
            SFTCommand.self, TrainCommand.self, EvalCommand.self, SampleCommand.self, TasksCommand.self,
            LossCommand.self,
            LogProbsCommand.self, BenchCommand.self, CompareCommand.self, RMCommand.self,
        ]
    )

    static func main() async {
        Allocator.keepFreedMemory()
        await main(nil)
    }
}
