import Foundation
import GRPO
import RewardKit

/// A training run's folder: `config.json`, `metrics.jsonl`, `rollouts.jsonl`, `checkpoint/` (HF safetensors,
/// config.json, optimizer.safetensors, trainer_state.json, and for PPO `critic/`) and `curves.svg`.
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
    /// PPO's critic: the value model and its optimizer state.
    var critic: URL { checkpoint.appendingPathComponent("critic") }

    func writeConfig(_ json: JSON) throws {
        try Data((json.jsonText + "\n").utf8).write(to: url.appendingPathComponent("config.json"), options: .atomic)
    }

    func append(_ lines: [JSON], to file: URL) throws {
        guard !lines.isEmpty else { return }
        let text = lines.map(\.jsonText).joined(separator: "\n") + "\n"
        if !FileManager.default.fileExists(atPath: file.path),
            !FileManager.default.createFile(atPath: file.path, contents: nil)
        {
            throw GRPOError("cannot create \(file.path)")
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

    /// Redraws `curves.svg` from the metric lines (`CurvePlot.trainingRun`; β read from config.json).
    func plot(_ lines: [JSONObject], title: String) throws {
        let config = try? JSONParser.parse(
            String(contentsOf: url.appendingPathComponent("config.json"), encoding: .utf8))
        let beta = config?.objectValue?["grpo"]?.objectValue?["beta"]?.doubleValue ?? 0
        let svg = CurvePlot.trainingRun(lines, beta: beta, title: title).svg
        try Data(svg.utf8).write(to: plotURL, options: .atomic)
    }
}

/// Prints a line on standard output and flushes it, so progress written to a file or a pipe arrives when it
/// happens rather than when the buffer fills.
func printFlushed(_ line: String) {
    print(line)
    fflush(nil)  // every output stream; naming `stdout` is not concurrency-safe in Swift 6
}

/// A one-line progress bar on standard error when it is a terminal. Off a terminal (a log file, a pipe) it writes
/// one plain line per step instead when `linesOffTerminal` is set, so a run's progress can be followed with
/// `tail -f`; standard error is unbuffered, so each line arrives when the step ends.
struct ProgressBar {
    let total: Int
    var linesOffTerminal = false
    let enabled = isatty(2) == 1

    func draw(_ done: Int, _ note: String) {
        guard enabled else {
            if linesOffTerminal { FileHandle.standardError.write(Data("step \(done)/\(total) \(note)\n".utf8)) }
            return
        }
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(note)\u{1B}[K".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
