import Foundation
import GRPO
import RewardKit

/// A training run's folder: `config.json`, `metrics.jsonl`, `rollouts.jsonl`, `checkpoint/` (HF safetensors,
/// config.json, optimizer.safetensors, trainer_state.json) and `curves.svg`.
struct RunFolder {
    let url: URL

    init(_ path: String) throws {
        url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var checkpoint: URL { url.appendingPathComponent("checkpoint") }
    var metricsURL: URL { url.appendingPathComponent("metrics.jsonl") }
    var rolloutsURL: URL { url.appendingPathComponent("rollouts.jsonl") }
    var plotURL: URL { url.appendingPathComponent("curves.svg") }
    var stateURL: URL { checkpoint.appendingPathComponent("trainer_state.json") }

    func writeConfig(_ json: JSON) throws {
        try Data((json.jsonText + "\n").utf8).write(to: url.appendingPathComponent("config.json"), options: .atomic)
    }

    func append(_ lines: [JSON], to file: URL) throws {
        guard !lines.isEmpty else { return }
        let text = lines.map(\.jsonText).joined(separator: "\n") + "\n"
        if !FileManager.default.fileExists(atPath: file.path) {
            FileManager.default.createFile(atPath: file.path, contents: nil)
        }
        let h = try FileHandle(forWritingTo: file)
        defer { try? h.close() }
        try h.seekToEnd()
        try h.write(contentsOf: Data(text.utf8))
    }

    /// The metric lines already written, keeping only steps 1…`step` (a resumed run rewrites the rest).
    func metrics(through step: Int) throws -> [JSONObject] {
        guard FileManager.default.fileExists(atPath: metricsURL.path) else { return [] }
        let kept = try JSONLinesFile.read(metricsURL.path).compactMap(\.objectValue).filter {
            ($0[MetricKeys.step]?.intValue ?? .max) <= step
        }
        try Data(kept.map { JSON.object($0).jsonText + "\n" }.joined().utf8).write(to: metricsURL, options: .atomic)
        return kept
    }

    /// (step, value) of `key` in metric lines, skipping lines without it.
    static func points(_ lines: [JSONObject], _ key: String) -> [(x: Double, y: Double)] {
        lines.compactMap { line in
            guard let x = line[MetricKeys.step]?.doubleValue, let y = line[key]?.doubleValue else { return nil }
            return (x, y)
        }
    }

    /// Redraws `curves.svg` from the metric lines.
    func plot(_ lines: [JSONObject], title: String) throws {
        let keys = [
            MetricKeys.rewardMean, MetricKeys.accuracy, MetricKeys.entropy, MetricKeys.kl, MetricKeys.groupsFiltered,
            MetricKeys.responseLength,
        ]
        let series = keys.map { key in
            CurvePlot.Series(title: key, points: Self.points(lines, key))
        }
        try Data(CurvePlot(title: title, series: series).svg.utf8).write(to: plotURL, options: .atomic)
    }
}

/// A one-line progress bar on standard error, drawn only when it is a terminal.
struct ProgressBar {
    let total: Int
    let enabled = isatty(2) == 1

    func draw(_ done: Int, _ note: String) {
        guard enabled else { return }
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(note)\u{1B}[K".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
