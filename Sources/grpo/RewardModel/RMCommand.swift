import ArgumentParser

/// `grpo rm`: train and evaluate learned reward models.
struct RMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract:
            "Train and evaluate reward models (a Llama with a scalar score head, HF LlamaForSequenceClassification).",
        subcommands: [RMTrainCommand.self, RMEvalCommand.self])
}
