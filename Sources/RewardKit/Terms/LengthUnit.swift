/// How a completion's length is counted.
public enum LengthUnit: String, Sendable, CaseIterable {
    /// Unicode code points: Python's `len(str)`, which open-r1's length rewards use.
    case characters
    /// UTF-8 bytes.
    case bytes
    /// White-space separated words (Python's `str.split()`).
    case words
    /// Token ids, from the sample's `completion_token_ids` (DAPO counts tokens).
    case tokens

    /// The length of the sample's completion, or `nil` when the unit is `tokens` and the sample has no ids.
    public func length(of sample: Sample) -> Int? {
        let text = sample.completionText
        switch self {
        case .characters: return text.unicodeScalars.count
        case .bytes: return text.utf8.count
        case .words: return Words.split(text).count
        case .tokens: return sample.completionTokenIDs?.count
        }
    }

    /// The failure for a sample whose length cannot be counted in this unit.
    func missing() -> Score {
        .failure("length unit \"\(rawValue)\" needs the sample's completion_token_ids")
    }

    static func parameter(_ p: TermParameters, default d: LengthUnit) throws -> LengthUnit {
        LengthUnit(rawValue: try p.string("unit", default: d.rawValue, oneOf: allCases.map(\.rawValue)))!
    }
}

/// Python's `str.split()` with no argument: runs of Unicode white space separate words.
enum Words {
    static func split(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace })
    }
}
