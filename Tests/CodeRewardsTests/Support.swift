import CodeRewards
import Foundation
import RewardKit
import Sandbox
import Synchronization

enum Fixtures {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sandboxes = repo.appendingPathComponent("Sandboxes").path
    static let datasets = repo.appendingPathComponent("Datasets/public").path

    static func grader(tolerance: Double = 0) throws -> CodeGrader {
        CodeGrader(profiles: try Profiles(directory: sandboxes), floatTolerance: tolerance)
    }

    private static let pooled = Mutex<CodeGrader?>(nil)

    /// One grader shared by the tests that use it (copies share its grader and warm-candidate pools), so that
    /// they do not each start their own boxes.
    static func sharedGrader() throws -> CodeGrader {
        try pooled.withLock { cached in
            if let cached { return cached }
            let made = try grader()
            cached = made
            return made
        }
    }

    /// Rows of a gzip'ed JSONL file of Datasets/public (read with gzip, which CI has).
    static func jsonl(_ name: String) throws -> [JSONObject] {
        let path = datasets + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw CodeRewardsError("dataset \(path) is missing (see Datasets/README.md)")
        }
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", path]
        let out = Foundation.Pipe()
        gunzip.standardOutput = out
        try gunzip.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            guard let o = try JSONParser.parse(String($0)).objectValue else { throw CodeRewardsError("not an object") }
            return o
        }
    }

    /// A sample from a dataset row with `completion` set.
    static func sample(_ row: JSONObject, completion: String, language: String? = "python") -> Sample {
        var fields = row
        fields = JSONObject(fields.entries.map { ($0.key, $0.value) } + [("completion", .string(completion))])
        return Sample(
            prompt: row["prompt"]?.stringValue ?? "", completion: .text(completion), language: language,
            fields: fields)
    }

    /// Samples with `tests` given inline.
    static func sample(code: String, tests: JSON, language: String = "python") -> Sample {
        Sample(completion: .text("```\(language)\n\(code)\n```"), tests: tests, language: language)
    }
}
