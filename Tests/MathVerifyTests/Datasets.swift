import Foundation

/// Reads the public benchmark copies in `<repo root>/Datasets/public` (see `Datasets/README.md`).
enum Datasets {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static var directory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Datasets/public")
    }

    /// The JSON objects of a gzip-compressed JSONL file, decompressed with the system `gzip`.
    static func records(_ name: String) throws -> [[String: Any]] {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Missing(description: "dataset \(url.path) is missing (see Datasets/README.md)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Missing(description: "gzip -dc \(url.path) failed") }
        return try data.split(separator: UInt8(ascii: "\n")).map {
            guard let object = try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] else {
                throw Missing(description: "a line of \(name) is not a JSON object")
            }
            return object
        }
    }
}
