import ArgumentParser
import Foundation
import GRPO
import RewardKit

/// `grpo compare`: the curves of several runs overlaid, one panel per metric, and a table of their means.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Overlay the metrics of several run folders in one SVG (an ablation) and print their means.",
        discussion: """
            Prints, per run and metric, the mean over the first and the last --window steps, as a Markdown table.
            """)

    @Argument(help: "Run folders (each with metrics.jsonl), 1 to 8.")
    var runs: [String]

    @Option(help: "Curve labels, comma-separated, one per run (default: the folders' names).")
    var labels: String?

    @Option(help: "Metrics to draw, comma-separated (keys of metrics.jsonl).")
    var keys: String = "reward/mean,entropy,groups/filtered,clip_frac/high"

    @Option(help: "Steps averaged at the start and the end of each run in the table (1-10000).")
    var window: Int = 10

    @Option(help: "SVG file to write.")
    var out: String

    @Option(help: "Title of the plot.")
    var title: String = "grpo compare"

    func validate() throws {
        guard (1...8).contains(runs.count) else { throw ValidationError("give 1 to 8 run folders, got \(runs.count)") }
        if let labels, labels.split(separator: ",", omittingEmptySubsequences: false).count != runs.count {
            throw ValidationError("--labels has \(labels.split(separator: ",").count) labels for \(runs.count) runs")
        }
        guard (1...10_000).contains(window) else {
            throw ValidationError("--window must be in 1...10000, got \(window)")
        }
    }

    func run() throws {
        let names =
            labels.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            ?? runs.map { URL(fileURLWithPath: $0).lastPathComponent }
        let metricKeys = keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let histories = try runs.map { run in
            let path = URL(fileURLWithPath: run).appendingPathComponent("metrics.jsonl").path
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("\(run) has no metrics.jsonl; is it a `grpo train` run folder?")
            }
            return try JSONLinesFile.read(path).compactMap(\.objectValue)
        }
        for key in metricKeys where !histories.contains(where: { $0.contains { $0[key]?.doubleValue != nil } }) {
            throw ValidationError("no run has the metric \"\(key)\"; keys: \(MetricKeys.all.joined(separator: ", "))")
        }
        let series = metricKeys.map { key in
            CurvePlot.Series(
                title: key,
                curves: zip(names, histories).map { name, lines in
                    (name, CurvePlot.points(lines, key))
                })
        }
        var plot = CurvePlot(title: title, series: series)
        plot.columns = min(3, max(1, series.count))
        try Data(plot.svg.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)

        let headers = metricKeys.map { "\($0) first \(window) → last \(window)" }
        print("| run | steps | " + headers.joined(separator: " | ") + " |")
        print("|---|---:|" + String(repeating: "---:|", count: metricKeys.count))
        for (name, lines) in zip(names, histories) {
            let cells = metricKeys.map { key in
                let values = lines.compactMap { $0[key]?.doubleValue }
                func mean(_ v: ArraySlice<Double>) -> String {
                    v.isEmpty ? "–" : String(format: "%.3f", v.reduce(0, +) / Double(v.count))
                }
                return "\(mean(values.prefix(window))) → \(mean(values.suffix(window)))"
            }
            print("| \(name) | \(lines.count) | " + cells.joined(separator: " | ") + " |")
        }
        print("plot: \(out)")
    }
}
