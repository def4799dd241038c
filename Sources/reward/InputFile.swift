import ArgumentParser
import Foundation
import RewardKit

/// The commands' JSONL inputs (`RewardKit.JSONLinesFile`: a path, `-` for stdin, or a streamed `.gz`), with its
/// failures as usage errors.
enum InputFile {
    /// The input's bytes, and a check to call after reading to the end (throws for a corrupt or truncated `.gz`).
    static func open(_ path: String) throws -> (handle: FileHandle, finished: () throws -> Void) {
        do { return try JSONLinesFile.open(path) } catch { throw ValidationError("\(error)") }
    }

    /// Every line of a (small) JSONL file as an object; benchmarks use it for their inputs.
    static func objects(_ path: String) throws -> [JSONObject] {
        do { return try JSONLinesFile.objects(path) } catch { throw ValidationError("\(error)") }
    }
}
