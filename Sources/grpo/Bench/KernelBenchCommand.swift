import ArgumentParser
import Tensor

/// `grpo bench kernel`: which OpenBLAS kernel this process multiplies with, how it was chosen, what the CPU
/// supports, and the kernels the numerical tests run under (`--runnable`, one per line, for scripts/test.sh).
struct KernelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "The OpenBLAS kernel in use, the CPU's vector extensions and the kernels it can run."
    )

    @Flag(help: "Print only the kernels this CPU can run, one per line (generic Prescott first, best last).")
    var runnable = false

    func run() {
        if runnable {
            print(BLASKernel.runnable.joined(separator: "\n"))
            return
        }
        print(
            table([
                ["OpenBLAS", "value"],
                ["kernel in use", BLASKernel.loaded],
                ["chosen by", BLASKernel.chosenBy],
                ["CPU vector extensions", BLASKernel.features.description],
                ["best kernel for this CPU", BLASKernel.best ?? "any (SSE only)"],
                ["kernels this CPU runs", BLASKernel.runnable.joined(separator: ", ")],
            ]))
    }
}
