import ArgumentParser

/// `grpo bench`: speed measurements printed as tables (medians, ratios within one run).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of parts of the trainer.",
        subcommands: [EngineBenchCommand.self, KernelBenchCommand.self]
    )
}
