import Foundation
import RewardKit

/// Reads JSONL in bounded memory: lines come out in batches, parsed, each with its line number.
///
/// Blank lines are skipped (JSONL writers end files with a newline). A line longer than `maxLineBytes` becomes
/// an invalid input naming its length; the rest of it is read and dropped without being held in memory.
struct LineReader {
    static let maxLineBytes = 64 << 20
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private var lineNumber = 0
    private var skippingLongLine = false
    /// Bytes before this index hold no newline: long lines are scanned once, not once per chunk.
    private var scanned = 0

    init(handle: FileHandle) { self.handle = handle }

    struct Item {
        var line: Int
        var input: RecordScorer.Input
    }

    /// The next line as an item, or nil at the end of the input.
    mutating func next() -> Item? {
        while true {
            if let nl = buffer[max(start, scanned)...].firstIndex(of: 0x0a) {
                let lineBytes = buffer[start..<nl]
                start = nl + 1
                scanned = start
                lineNumber += 1
                if skippingLongLine {
                    skippingLongLine = false
                    continue
                }
                if let item = item(from: lineBytes) { return item }
                continue
            }
            scanned = buffer.count
            if eof {
                guard start < buffer.count else { return nil }
                let rest = buffer[start...]
                start = buffer.count
                lineNumber += 1
                if skippingLongLine { return nil }
                if let item = item(from: rest) { return item }
                return nil
            }
            if !skippingLongLine && buffer.count - start > Self.maxLineBytes {
                skippingLongLine = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
                return Item(line: lineNumber + 1, input: .invalid("line is longer than \(Self.maxLineBytes) bytes"))
            }
            if skippingLongLine {
                buffer.removeAll(keepingCapacity: true)
                start = 0
                scanned = 0
            }
            refill()
        }
    }

    private mutating func refill() {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        let chunk = (try? handle.read(upToCount: 1 << 20)) ?? nil
        if let chunk, !chunk.isEmpty { buffer.append(contentsOf: chunk) } else { eof = true }
    }

    private func item(from bytes: ArraySlice<UInt8>) -> Item? {
        var slice = bytes
        if slice.last == 0x0d { slice = slice.dropLast() }
        if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        let parsed: Result<JSON, JSONParseError> = slice.withUnsafeBufferPointer { buf in
            do throws(JSONParseError) { return .success(try JSONParser.parse(bytes: buf)) } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .failure(let e): return Item(line: lineNumber, input: .invalid("invalid JSON: \(e)"))
        case .success(let json):
            guard let o = json.objectValue else {
                return Item(line: lineNumber, input: .invalid("expected a JSON object, got \(json.kindDescription)"))
            }
            return Item(line: lineNumber, input: .object(o))
        }
    }
}
