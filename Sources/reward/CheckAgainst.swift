import ArgumentParser
import Foundation
import RewardKit

/// `reward check --against OLD.jsonl`: re-scores stored results (earlier `reward check` or `/v1/score` output)
/// with this grader and prints each line where the two graders disagree, so that a user sees what a grader
/// upgrade changes in a run's stored rollouts.
///
/// Each stored line's result fields (`reward`, `components`, `reason`, `error`, `grader`, `line`) are dropped and
/// the rest is scored again as a sample. Two results agree when both are unscorable or their rewards are within
/// 1e-9. Output (stdout): one JSON line per disagreement, `{"line", "id"?, "old": {"reward", "grader"},
/// "new": {"reward", "reason"?, "error"?, "grader"}}`; a summary goes to stderr.
struct CheckAgainst {
    let scorer: RecordScorer
    let grader: @Sendable (ScoredRecord) -> GraderIdentity
    static let resultFields: Set<String> = ["reward", "components", "reason", "error", "grader", "line"]

    /// Counts of a comparison.
    struct Tally {
        var lines = 0, agree = 0, higher = 0, lower = 0, newlyUnscorable = 0, newlyScorable = 0
        var oldGraders: [String: Int] = [:]
        var disagree: Int { lines - agree }
    }

    func run(_ path: String) async throws -> Tally {
        let stored = try InputFile.objects(path)
        let inputs: [RecordScorer.Input] = stored.map { o in
            .object(JSONObject(o.entries.filter { !Self.resultFields.contains($0.key) }.map { ($0.key, $0.value) }))
        }
        let fresh = await scorer.score(inputs, lineNumbers: stored.indices.map { $0 + 1 })
        var tally = Tally()
        var out: [UInt8] = []
        for (i, (old, new)) in zip(stored, fresh).enumerated() {
            tally.lines += 1
            let oldGrader = GraderIdentity(json: old["grader"])
            let label =
                oldGrader.map { "arbiter \($0.arbiter), recipe \($0.recipe) \($0.recipeSHA256.prefix(12))" }
                ?? "unknown (no grader field)"
            tally.oldGraders[label, default: 0] += 1
            let before = old["reward"]?.doubleValue
            let after = new.score.isError ? nil : new.score.value
            switch (before, after) {
            case (nil, nil):
                tally.agree += 1
                continue
            case (let b?, let a?) where abs(b - a) <= 1e-9:
                tally.agree += 1
                continue
            case (let b?, let a?): if a > b { tally.higher += 1 } else { tally.lower += 1 }
            case (_?, nil): tally.newlyUnscorable += 1
            case (nil, _?): tally.newlyScorable += 1
            }
            var newPart = JSONObject([("reward", after.map(JSON.double) ?? .null)])
            if let r = new.score.reason { newPart["reason"] = .string(r) }
            if let e = new.score.error { newPart["error"] = .string(e) }
            newPart["grader"] = grader(new).json
            var line = JSONObject([("line", .int(Int64(i + 1)))])
            if let id = old["id"] { line["id"] = id }
            line["old"] = .object(JSONObject([("reward", old["reward"] ?? .null), ("grader", old["grader"] ?? .null)]))
            line["new"] = .object(newPart)
            JSONWriter.write(.object(line), to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        FileHandle.standardOutput.write(Data(out))
        return tally
    }

    static func summary(_ t: Tally, path: String, now: GraderIdentity) -> String {
        var s = "reward check --against \(path): \(t.lines) results re-scored, \(t.agree) agree, \(t.disagree) differ"
        s += " (\(t.higher) higher, \(t.lower) lower, \(t.newlyUnscorable) newly unscorable, "
        s += "\(t.newlyScorable) newly scorable)\n"
        for (label, n) in t.oldGraders.sorted(by: { $0.key < $1.key }) { s += "  old grader: \(label): \(n) lines\n" }
        s += "  new grader: arbiter \(now.arbiter), recipe \(now.recipe) \(now.recipeSHA256.prefix(12))\n"
        return s
    }
}
