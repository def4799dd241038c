import ArgumentParser
import Tensor

/// `grpo`: train, inspect and cross-check small language models with GRPO on verifiable rewards.
@main
struct GRPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo",
        abstract: "Train and inspect small language models with GRPO on verifiable rewards.",
        subcommands: [LossCommand.self, LogProbsCommand.self, BenchCommand.self]
    )

    static func main() {
        Allocator.keepFreedMemory()
        main(nil)
    }
}
