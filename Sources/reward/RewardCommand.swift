import ArgumentParser

/// `reward`: score completions with verifiable rewards.
@main
struct RewardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reward",
        abstract:
            "Verifiable rewards for RL on language models: math answers, sandboxed code tests, format and length.",
        subcommands: [Check.self, Recipes.self, Run.self, Bench.self, Serve.self]
    )
}
