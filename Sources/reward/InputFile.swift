import ArgumentParser
import Foundation
import RewardKit

/// Opens JSONL inputs: a path, `-` for stdin, or a gzip file (`.gz`, read through `gzip -dc` as it streams).
enum InputFile {
    /// The input's bytes, and a check to call after reading to the end: it throws when `gzip` failed (a corrupt
    /// or truncated `.gz`), so that a partly read file is never taken for a whole one.
    static func open(_ path: String) throws -> (handle: FileHandle, finished: () throws -> Void) {
        if path == "-" { return (.standardInput, {}) }
        guard FileManager.default.isReadableFile(atPath: path) else { throw ValidationError("cannot read input file \(path)") }
        guard path.hasSuffix(".gz") else { return (FileHandle(forReadingAtPath: path)!, {}) }
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", path]
        let out = Pipe()
        gunzip.standardOutput = out
        try gunzip.run()
        return (out.fileHandleForReading, {
            gunzip.waitUntilExit()
            guard gunzip.terminationStatus == 0 else {
                throw ValidationError("gzip -dc \(path) failed with status \(gunzip.terminationStatus): the input is corrupt or truncated")
            }
        })
    }

    /// Every line of a (small) JSONL file as an object; benchmarks use it for their inputs.
    static func objects(_ path: String) throws -> [JSONObject] {
        let input = try open(path)
        let data = try input.handle.readToEnd() ?? Data()
        try input.finished()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated().map { i, line in
            guard let o = try? JSONParser.parse(String(line)).objectValue else {
                throw ValidationError("\(path): line \(i + 1) is not a JSON object")
            }
            return o
        }
    }
}
