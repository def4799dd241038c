import ArgumentParser
import Tensor

/// `grpo`: the trainer's command line. Subcommands are added by the modules that own them.
@main
struct GRPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo",
        abstract: "Train and inspect small language models with GRPO on verifiable rewards.",
        subcommands: [LogProbsCommand.self, BenchCommand.self]
    )

    static func main() {
        Allocator.keepFreedMemory()
        main(nil)
    }
}
