import ArgumentParser
import Foundation
import MathVerify
import RewardKit

/// `reward bench math`: time per `MathVerify` check over gold/completion pairs.
struct BenchMath: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "math",
        abstract: "Math verifier speed: checks/s, median, p99 and max time per check over JSONL files.",
        discussion: """
            Each line with a completion is checked against its reference (answer / solution / ground_truth). A line \
            without one is a dataset record as it is: a GSM8K record is checked against a correct completion made \
            from its own solution ("... The answer is $\\boxed{n}$."), a MATH record against its own solution.
            """)

    @Option(name: .customLong("input"), help: "JSONL(.gz) file; repeat for several (default: GSM8K test and MATH-500).")
    var inputs: [String] = ["Datasets/public/gsm8k_test.jsonl.gz", "Datasets/public/math500_test.jsonl.gz"]

    @Option(help: "Timed passes over every file (after one warm-up pass); the max is also given as best-of-passes.")
    var repetitions: Int = 5

    func validate() throws {
        guard (1...1_000).contains(repetitions) else {
            throw ValidationError("--repetitions must be 1...1000, got \(repetitions)")
        }
    }

    func run() throws {
        print("repetitions: \(repetitions) per pair; times in µs per check (MathVerify.verify, default options)")
        print("| input | pairs | equal | checks/s | median | p99 | max | max (best of passes) | max steps |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        var all: [MathVerifyBenchmark.Pair] = []
        for path in inputs {
            let pairs = try InputFile.objects(path).compactMap(BenchMath.pair)
            all += pairs
            row((path as NSString).lastPathComponent, MathVerifyBenchmark.run(pairs: pairs, repetitions: repetitions))
        }
        if inputs.count > 1 { row("all", MathVerifyBenchmark.run(pairs: all, repetitions: repetitions)) }
    }

    private func row(_ name: String, _ s: MathVerifyBenchmark.Stats) {
        func f(_ x: Double) -> String { String(format: "%.1f", x) }
        let pairs = s.checks / max(1, repetitions)
        print(
            "| \(name) | \(pairs) | \(s.equivalent / max(1, repetitions)) | \(Int(s.checksPerSecond)) | "
                + "\(f(s.medianMicroseconds)) | \(f(s.p99Microseconds)) | \(f(s.maxMicroseconds)) | "
                + "\(f(s.maxBestOfRepetitionsMicroseconds)) | \(s.maxSteps) |")
    }

    /// The pair a JSONL line stands for, or nil when it has neither a completion nor a solution to use as one.
    static func pair(_ object: JSONObject) -> MathVerifyBenchmark.Pair? {
        if let sample = try? Sample(json: object) {
            guard let reference = sample.reference else { return nil }
            return .init(gold: reference, prediction: sample.completionText)
        }
        guard let answer = object["answer"]?.stringValue else { return nil }
        if let marker = answer.range(of: "####", options: .backwards) {
            let number = answer[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
            let work = answer[..<marker.lowerBound]
            return .init(gold: answer, prediction: "\(work)The answer is $\\boxed{\(number)}$.")
        }
        guard let solution = object["solution"]?.stringValue else { return nil }
        return .init(gold: answer, prediction: solution)
    }
}
