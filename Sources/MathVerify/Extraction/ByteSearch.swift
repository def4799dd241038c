/// Small byte-level helpers for scanning long completions in linear time.
enum ByteSearch {
    /// Start indices of every occurrence of `needle` in `haystack`, ASCII case-insensitively when `ignoreCase`
    /// (then `needle` must be lowercase).
    static func occurrences(of needle: [UInt8], in haystack: [UInt8], ignoreCase: Bool = false) -> [Int] {
        guard !needle.isEmpty, haystack.count >= needle.count else { return [] }
        var result = [Int]()
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let first = n[0]
                let firstUpper: UInt8 = ignoreCase && first >= 97 && first <= 122 ? first - 32 : first
                let last = h.count - n.count
                var i = 0
                while i <= last {
                    let b = h[i]
                    if b == first || b == firstUpper {
                        var j = 1
                        while j < n.count && lower(h[i + j], ignoreCase) == n[j] { j += 1 }
                        if j == n.count { result.append(i) }
                    }
                    i += 1
                }
            }
        }
        return result
    }

    /// True when `needle` occurs in `text` (byte for byte).
    static func contains(_ needle: String, in text: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first else { return true }
        let h = text.utf8
        var i = h.startIndex
        while let k = h[i...].firstIndex(of: first) {
            if h[k...].starts(with: n) { return true }
            i = h.index(after: k)
        }
        return false
    }

    /// True when `text` starts with `prefix` ASCII case-insensitively (`prefix` must be lowercase ASCII).
    static func hasPrefix(_ prefix: String, ignoringCaseIn text: String) -> Bool {
        text.utf8.count >= prefix.utf8.count && zip(text.utf8, prefix.utf8).allSatisfy { lower($0, true) == $1 }
    }

    /// True when `text` ends with `suffix` ASCII case-insensitively (`suffix` must be lowercase ASCII).
    static func hasSuffix(_ suffix: String, ignoringCaseIn text: String) -> Bool {
        text.utf8.count >= suffix.utf8.count
            && zip(text.utf8.suffix(suffix.utf8.count), suffix.utf8).allSatisfy { lower($0, true) == $1 }
    }

    @inline(__always)
    static func lower(_ b: UInt8, _ ignoreCase: Bool) -> UInt8 {
        ignoreCase && b >= 65 && b <= 90 ? b + 32 : b
    }

    /// The index just past the `}` matching the `{` at `open`, skipping `\{` and `\}`; nil when unbalanced or
    /// farther than `limit` bytes away.
    static func matchingBrace(in bytes: [UInt8], open: Int, limit: Int = 20_000) -> Int? {
        var depth = 0
        var i = open
        let stop = min(bytes.count, open + limit)
        while i < stop {
            switch bytes[i] {
            case UInt8(ascii: "\\"): i += 1
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default: break
            }
            i += 1
        }
        return nil
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

    static func string(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}
