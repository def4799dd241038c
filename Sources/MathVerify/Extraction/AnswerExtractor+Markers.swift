/// The markers a final answer sits behind: `\boxed{}`, `<answer>`, answer phrases, self-corrections, bold.
extension AnswerExtractor {
    /// The content of the last `\boxed{...}` / `\fbox{...}` (nested braces; `\boxed 5` up to `$` or space). Boxes
    /// written one after another with only ",", "and" or ";" between them are read as one list.
    func lastBoxed(in bytes: [UInt8]) -> Match? {
        var found: [(start: Int, end: Int, content: ArraySlice<UInt8>)] = []
        for name in ["\\boxed", "\\fbox"] {
            for start in ByteSearch.occurrences(of: Array(name.utf8), in: bytes).suffix(16) {
                var i = start + name.utf8.count
                while i < bytes.count && bytes[i] == 0x20 { i += 1 }
                if i < bytes.count && bytes[i] == UInt8(ascii: "{") {
                    guard let end = ByteSearch.matchingBrace(in: bytes, open: i) else { continue }
                    found.append((start, end, bytes[(i + 1)..<(end - 1)]))
                } else if i > start + name.utf8.count {
                    // `\boxed 5`: up to `$` or white space.
                    var j = i
                    while j < bytes.count && bytes[j] != UInt8(ascii: "$") && !ByteSearch.isSpace(bytes[j]) { j += 1 }
                    if j > i { found.append((start, j, bytes[i..<j])) }
                }
            }
        }
        guard !found.isEmpty else { return nil }
        found.sort { $0.start < $1.start }
        // Answers boxed one by one ("\boxed{1} and \boxed{2}", "$y_1 = \boxed{a}$ and $y_2 = \boxed{b}$") are read
        // as a list (gap B).
        var parts = [found[found.count - 1]]
        var k = found.count - 2
        while k >= 0, found[k].end <= parts[0].start,
            AnswerExtractor.joinsAnswers(bytes[found[k].end..<parts[0].start])
        {
            parts.insert(found[k], at: 0)
            k -= 1
        }
        let text = parts.map { clean($0.content) }.joined(separator: ", ")
        return Match(text: text, end: found.last!.end, extractor: .boxed)
    }

    /// The content of the last `<answer>...</answer>` (to the end when unclosed); a long one is searched for its own
    /// boxed answer or answer phrase.
    func lastTag(in bytes: [UInt8]) -> Match? {
        guard let open = ByteSearch.occurrences(of: Array("<answer>".utf8), in: bytes, ignoreCase: true).last else {
            return nil
        }
        let start = open + 8
        let closes = ByteSearch.occurrences(of: Array("</answer>".utf8), in: bytes, ignoreCase: true)
        let end = closes.first { $0 >= start } ?? bytes.count
        let inner = bytes[start..<end]
        let innerBytes = Array(inner)
        // An answer tag that holds a whole solution: take its boxed answer if there is one.
        if let boxed = lastBoxed(in: innerBytes) { return Match(text: boxed.text, end: end, extractor: .answerTag) }
        if inner.count > 200,
            let m = lastAfter(
                ["answer is", "answer:"], in: innerBytes, extractor: .answerTag,
                lineOnly: false)
        {
            return Match(text: m.text, end: end, extractor: .answerTag)
        }
        let text = clean(inner)
        return text.isEmpty ? nil : Match(text: text, end: end, extractor: .answerTag)
    }

    /// The text after the last occurrence of any phrase, to the end of its sentence (or line).
    func lastAfter(_ phrases: [String], in bytes: [UInt8], extractor: MathVerify.Extractor, lineOnly: Bool)
        -> Match?
    {
        var candidates: [(Int, Int)] = []  // (phrase start, capture start)
        for p in phrases {
            for s in ByteSearch.occurrences(of: Array(p.utf8), in: bytes, ignoreCase: true) {
                candidates.append((s, s + p.utf8.count))
            }
        }
        candidates.sort { $0.0 > $1.0 }
        for (_, captureStart) in candidates.prefix(8) {
            let (slice, end) = sentence(in: bytes, from: captureStart, lineOnly: lineOnly)
            // LaTeX-only reading: the phrase must introduce a formula.
            if options.extractionMode == .latex && extractor != .gsm8k && !AnswerExtractor.startsMath(slice) {
                continue
            }
            let text = clean(slice)
            if !text.isEmpty && (extractor == .gsm8k || AnswerExtractor.looksLikeAnswer(text)) {
                return Match(text: text, end: end, extractor: extractor)
            }
        }
        return nil
    }

    /// From `start`: a `$...$`, `\(...\)`, `\[...\]` or `\boxed{}` group, else up to the end of the sentence.
    func sentence(in bytes: [UInt8], from start: Int, lineOnly: Bool) -> (ArraySlice<UInt8>, Int) {
        var i = start
        while i < bytes.count
            && (ByteSearch.isSpace(bytes[i]) || bytes[i] == UInt8(ascii: ":")
                || bytes[i] == UInt8(ascii: "*"))
        {
            if bytes[i] == 0x0A && lineOnly { break }
            i += 1
        }
        let begin = i
        let limit = min(bytes.count, begin + 400)
        if i < bytes.count, bytes[i] == UInt8(ascii: "$") {
            var j = i + 1
            let double = j < bytes.count && bytes[j] == UInt8(ascii: "$")
            if double { j += 1 }
            while j < limit && bytes[j] != UInt8(ascii: "$") { j += 1 }
            if j < limit {
                let end = double ? min(j + 2, bytes.count) : j + 1
                return (bytes[begin..<end], end)
            }
        }
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
            bytes[i + 1] == UInt8(ascii: "(") || bytes[i + 1] == UInt8(ascii: "[")
        {
            let close: UInt8 = bytes[i + 1] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
            var j = i + 2
            while j + 1 < limit && !(bytes[j] == UInt8(ascii: "\\") && bytes[j + 1] == close) { j += 1 }
            if j + 1 < limit { return (bytes[begin..<(j + 2)], j + 2) }
        }
        var j = i
        var depth = 0
        while j < limit {
            let b = bytes[j]
            if b == 0x0A && (lineOnly || j > begin) { break }
            if b == UInt8(ascii: "{") { depth += 1 }
            if b == UInt8(ascii: "}") { depth -= 1 }
            if depth <= 0 && b == UInt8(ascii: ".") {
                let nextIsDigit = j + 1 < bytes.count && ByteSearch.isDigit(bytes[j + 1])
                if !nextIsDigit { break }
            }
            if depth <= 0 && !lineOnly && (b == UInt8(ascii: "!") || b == UInt8(ascii: "?")) && j + 1 < bytes.count
                && (bytes[j + 1] == 0x20 || bytes[j + 1] == 0x0A)
            {
                break
            }
            j += 1
        }
        return (bytes[begin..<j], j)
    }

    /// A self-correction cue ("wait", "actually", ...) at or after `from`, followed by a restated answer.
    func lastCorrection(in bytes: [UInt8], from: Int = 0) -> Match? {
        guard from < bytes.count else { return nil }
        let cues = ["wait", "actually", "correction", "oops", "i mean", "sorry"]
        let tail = from == 0 ? bytes : Array(bytes[from...])
        var positions: [Int] = []
        for c in cues {
            positions += ByteSearch.occurrences(of: Array(c.utf8), in: tail, ignoreCase: true).map {
                from + $0 + c.utf8.count
            }
        }
        positions.sort(by: >)
        for p in positions.prefix(4) {
            let window = Array(bytes[p..<min(bytes.count, p + 60)])
            let linkers = ["it is ", "it's ", "answer is ", "should be ", "must be ", "is actually ", "result is "]
            var best: Int?
            for l in linkers {
                if let o = ByteSearch.occurrences(of: Array(l.utf8), in: window, ignoreCase: true).last {
                    best = max(best ?? 0, o + l.utf8.count)
                }
            }
            guard let offset = best else { continue }
            let (slice, end) = sentence(in: bytes, from: p + offset, lineOnly: false)
            let text = clean(slice)
            if !text.isEmpty, text.utf8.contains(where: ByteSearch.isDigit), AnswerExtractor.looksLikeAnswer(text) {
                return Match(text: text, end: end, extractor: .correction)
            }
        }
        return nil
    }

    /// The last markdown bold span `**...**` that holds a digit.
    func lastBold(in bytes: [UInt8]) -> Match? {
        let marks = ByteSearch.occurrences(of: Array("**".utf8), in: bytes)
        var k = marks.count - 1
        while k >= 1 {
            if marks[k] > marks[k - 1] + 2, marks[k] - marks[k - 1] <= 202,
                bytes[(marks[k - 1] + 2)..<marks[k]].contains(where: ByteSearch.isDigit)
            {
                let inner = bytes[(marks[k - 1] + 2)..<marks[k]]
                let text = clean(inner)
                if !text.isEmpty { return Match(text: text, end: marks[k] + 2, extractor: .bold) }
            }
            k -= 2
        }
        return nil
    }

    /// True when `gap`, the text between two boxed answers, only connects them: after LaTeX commands, math
    /// delimiters, braces and subscripts are set aside, at most four words and no digit, full stop or
    /// self-correction, and either no word at all or a connective ("and", "or", a comma or semicolon):
    /// "\quad \text{and} \quad", "\) and \( y_2 =", "papers and", "for part (a) and"; not "$$ $$\text{Total} =".
    static func joinsAnswers(_ gap: ArraySlice<UInt8>) -> Bool {
        if gap.count > 80 { return false }
        var residue = [UInt8]()
        var i = gap.startIndex
        while i < gap.endIndex {
            let b = gap[i]
            if b == UInt8(ascii: "\\") {
                i += 1
                if i < gap.endIndex && !ByteSearch.isLetter(gap[i]) {
                    i += 1
                    continue
                }
                while i < gap.endIndex && ByteSearch.isLetter(gap[i]) { i += 1 }
                residue.append(0x20)
                continue
            }
            if b == UInt8(ascii: "_") {  // a subscript: `_1`, `_{12}`
                i += 1
                if i < gap.endIndex && gap[i] == UInt8(ascii: "{") {
                    while i < gap.endIndex && gap[i] != UInt8(ascii: "}") { i += 1 }
                }
                i += 1
                continue
            }
            if b == UInt8(ascii: "$") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: "~") {
                residue.append(0x20)
            } else {
                residue.append(ByteSearch.lower(b, true))
            }
            i += 1
        }
        if residue.contains(where: { ByteSearch.isDigit($0) || $0 == UInt8(ascii: ".") || $0 == 0x0A }) { return false }
        let words = ByteSearch.string(residue[...]).split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
        if words.count > 4 { return false }
        let corrections: Set<Substring> = [
            "wait", "actually", "no", "not", "sorry", "wrong", "instead", "rather",
            "oops", "but", "mistake", "correction", "mean", "then", "so", "thus",
        ]
        if words.contains(where: corrections.contains) { return false }
        let hasLetters = residue.contains(where: ByteSearch.isLetter)
        let connected =
            words.contains { $0 == "and" || $0 == "or" } || residue.contains(UInt8(ascii: ","))
            || residue.contains(UInt8(ascii: ";"))
        return !hasLetters || connected
    }

    /// True when an extracted slice begins with a formula: `$`, `\(`, `\[` or `\boxed`.
    static func startsMath(_ slice: ArraySlice<UInt8>) -> Bool {
        guard let first = slice.first else { return false }
        if first == UInt8(ascii: "$") { return true }
        let rest = slice.dropFirst()
        return first == UInt8(ascii: "\\")
            && (rest.first == UInt8(ascii: "(") || rest.first == UInt8(ascii: "[")
                || rest.starts(with: "boxed".utf8))
    }
}
