import Foundation
import MathVerify
import RewardKit

/// Reads, scores and writes in batches, scoring one batch while the next is read; at most two batches are in
/// memory, so input of any size streams.
struct CheckPipeline {
    let scorer: RecordScorer
    let batchSize: Int
    let quiet: Bool
    /// The grader identity written into each result (`grader`).
    var grader: (@Sendable (ScoredRecord) -> GraderIdentity)?

    func run(_ handle: FileHandle) async throws -> CheckSummary {
        var reader = LineReader(handle: handle)
        var summary = CheckSummary()
        let progress = Progress(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        var pending: Task<[ScoredRecord], Never>?
        var carry: LineReader.Item?
        while true {
            let batch = nextBatch(&reader, carry: &carry)
            if batch.isEmpty { break }
            let scorer = self.scorer
            let task = Task { await scorer.score(batch.map(\.input), lineNumbers: batch.map(\.line)) }
            if let p = pending { emit(await p.value, into: &summary, progress: progress) }
            pending = task
        }
        if let p = pending { emit(await p.value, into: &summary, progress: progress) }
        progress.clear()
        if !quiet { FileHandle.standardError.write(Data(summary.report().utf8)) }
        return summary
    }

    /// Up to `batchSize` lines, extended while the next line has the same prompt as the last (up to 8×), so that
    /// group terms see whole groups.
    private func nextBatch(_ reader: inout LineReader, carry: inout LineReader.Item?) -> [LineReader.Item] {
        var batch: [LineReader.Item] = []
        if let c = carry {
            batch.append(c)
            carry = nil
        }
        while batch.count < batchSize, let item = reader.next() { batch.append(item) }
        guard batch.count == batchSize, let lastPrompt = Self.prompt(batch.last!) else { return batch }
        while batch.count < 8 * batchSize, let item = reader.next() {
            if Self.prompt(item) == lastPrompt {
                batch.append(item)
            } else {
                carry = item
                break
            }
        }
        return batch
    }

    private static func prompt(_ item: LineReader.Item) -> JSON? {
        if case .object(let o) = item.input { return o["prompt"] }
        return nil
    }

    private func emit(_ records: [ScoredRecord], into summary: inout CheckSummary, progress: Progress) {
        var out: [UInt8] = []
        for r in records {
            var o = r.json
            if let grader { o["grader"] = grader(r).json }
            JSONWriter.write(.object(o), to: &out)
            out.append(UInt8(ascii: "\n"))
            summary.add(r.score)
        }
        FileHandle.standardOutput.write(Data(out))
        progress.update(summary)
    }
}

/// Counts for the summary line.
struct CheckSummary {
    var count = 0
    var errors = 0
    var rewardSum = 0.0
    var componentSums: [String: (sum: Double, n: Int)] = [:]
    /// Scored lines per checker verdict (lines whose reward gives one).
    var verdicts: [MathVerify.Verdict: Int] = [:]
    let started = Date()

    mutating func add(_ s: Score) {
        count += 1
        if let v = s.verdict, !s.isError { verdicts[v, default: 0] += 1 }
        if s.isError {
            errors += 1
            return
        }
        rewardSum += s.value
        for (k, v) in s.components {
            componentSums[k, default: (0, 0)].sum += v
            componentSums[k]!.n += 1
        }
    }

    var rate: Double { Double(count) / max(Date().timeIntervalSince(started), 1e-9) }

    func report() -> String {
        let scored = count - errors
        let mean = scored > 0 ? String(format: "%.4f", rewardSum / Double(scored)) : "n/a"
        var s = "reward check: \(count) lines, \(scored) scored, \(errors) errors, mean reward \(mean), "
        s += String(format: "%.0f samples/s\n", rate)
        if !verdicts.isEmpty {
            s +=
                "  verdicts: "
                + MathVerify.Verdict.allCases.map { "\(verdicts[$0] ?? 0) \($0.rawValue)" }
                .joined(separator: ", ") + "\n"
        }
        for (k, v) in componentSums.sorted(by: { $0.key < $1.key }) {
            s += String(format: "  %@ mean %.4f (n=%d)\n", k, v.sum / Double(v.n), v.n)
        }
        return s
    }
}

/// A one-line progress display on a terminal, redrawn at most every 0.2 s.
final class Progress {
    let enabled: Bool
    private var last = Date.distantPast
    init(enabled: Bool) { self.enabled = enabled }

    func update(_ s: CheckSummary) {
        guard enabled, Date().timeIntervalSince(last) > 0.2 else { return }
        last = Date()
        FileHandle.standardError.write(
            Data(String(format: "\r%d lines, %d errors, %.0f samples/s", s.count, s.errors, s.rate).utf8))
    }

    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }
}
