import Foundation

/// JSON Lines files as the commands read them: a path, `-` for standard input, or a gzip file (`.gz`, decompressed
/// by `gzip -dc` as it streams). Errors name the file, and the line when a line is at fault.
public enum JSONLinesFile {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The input's bytes, and a check to call after reading to the end: it throws when `gzip` failed (a corrupt or
    /// truncated `.gz`), so that a partly read file is never taken for a whole one.
    public static func open(_ path: String) throws -> (handle: FileHandle, finished: () throws -> Void) {
        if path == "-" { return (.standardInput, {}) }
        guard let file = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot read \(path)") }
        guard path.hasSuffix(".gz") else { return (file, {}) }
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc"]
        gunzip.standardInput = file
        let out = Pipe()
        gunzip.standardOutput = out
        try gunzip.run()
        return (
            out.fileHandleForReading,
            {
                gunzip.waitUntilExit()
                guard gunzip.terminationStatus == 0 else {
                    throw Failure(
                        description: "gzip -dc \(path) failed with status \(gunzip.terminationStatus): "
                            + "the input is corrupt or truncated")
                }
            }
        )
    }

    /// Every non-blank line of a (small) file, parsed.
    public static func read(_ path: String) throws -> [JSON] { try numbered(path).map(\.value) }

    /// Every non-blank line of a (small) file as an object; a line that is not one is an error naming it.
    public static func objects(_ path: String) throws -> [JSONObject] {
        try numbered(path).map { line, value in
            guard let object = value.objectValue else {
                throw Failure(description: "\(path):\(line): expected a JSON object")
            }
            return object
        }
    }

    private static func numbered(_ path: String) throws -> [(line: Int, value: JSON)] {
        let input = try open(path)
        let data = try input.handle.readToEnd() ?? Data()
        try input.finished()
        return try String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().compactMap { i, line in
                if line.allSatisfy(\.isWhitespace) { return nil }
                do { return (i + 1, try JSONParser.parse(String(line))) } catch {
                    throw Failure(description: "\(path):\(i + 1): \(error)")
                }
            }
    }
}
