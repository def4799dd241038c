import ArgumentParser

/// `grpo`: train language models with GRPO on verifiable rewards.
@main
struct GRPOCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grpo",
        abstract: "GRPO for language models on verifiable rewards: loss cross-checks against TRL and verl.",
        subcommands: [LossCommand.self]
    )
}
