/// Finds the final answer in a completion or a gold solution (see `MathVerify.Extractor` for the markers).
struct AnswerExtractor {
    let options: MathVerify.Options

    static let structural: Set<MathVerify.Extractor> = [.boxed, .answerTag, .gsm8k]
    static let phrases: Set<MathVerify.Extractor> = [.finalAnswer, .answerIs, .correction]

    /// A candidate answer: its text and where its marker ended in the completion.
    struct Match {
        var text: String
        var end: Int
        var extractor: MathVerify.Extractor?
    }

    /// The answer of a model's completion, or nil when none was found.
    func prediction(_ completion: String) -> Match? {
        var bytes = Array(completion.utf8)
        if bytes.count > options.maxInputBytes { bytes = Array(bytes.suffix(options.maxInputBytes)) }
        // Structural markers (boxed, answer tag, `####`) outrank phrases; a self-correction after them still wins.
        var best: Match?
        for tier in [AnswerExtractor.structural, AnswerExtractor.phrases] {
            for extractor in options.extractionOrder where tier.contains(extractor) {
                guard let m = lastMatch(extractor, in: bytes) else { continue }
                if !options.lastMarkerWins {
                    if best == nil { best = m }
                    continue
                }
                if best == nil || m.end > best!.end { best = m }
            }
            if best != nil { break }
        }
        if let found = best, found.extractor.map(AnswerExtractor.structural.contains) ?? false,
           options.extractionOrder.contains(.correction), let c = lastCorrection(in: bytes, from: found.end) {
            best = c
        }
        if let best { return best }
        if options.extractionOrder.contains(.bold), let m = lastMatch(.bold, in: bytes) { return m }
        if bytes.count <= options.wholeTextMaxLength + 16 {
            let whole = clean(ArraySlice(bytes))
            // Prose around a formula (`So, $x = 3$.`) is not a bare answer: the formula fallback below reads it.
            let hasFormula = whole.utf8.contains(UInt8(ascii: "$")) || whole.contains("\\(") || whole.contains("\\[")
            if !whole.isEmpty && !hasFormula && whole.utf8.count <= options.wholeTextMaxLength
                && AnswerExtractor.looksLikeAnswer(whole) {
                return Match(text: whole, end: bytes.count, extractor: nil)
            }
        }
        guard options.lastNumberFallback else { return nil }
        // The last inline formula if it is where the last number is (`So, $x = 3$.`, `$(2, 3)$`), else that number.
        let number = lastNumber(in: bytes)
        if let math = lastMath(in: bytes), number == nil || math.end >= number!.end {
            return Match(text: math.text, end: math.end, extractor: nil)
        }
        return number.map { Match(text: $0.text, end: $0.end, extractor: nil) }
    }

    /// The last `$...$`, `\(...\)` or `\[...\]` formula (with the ones before it joined when only ",", "and" or
    /// "or" separate them: `$x=5$ or $x=-5$`). A `$` span ending in a space is taken for currency and skipped.
    func lastMath(in bytes: [UInt8]) -> (text: String, end: Int)? {
        var spans: [(start: Int, end: Int, content: ArraySlice<UInt8>)] = []
        var i = max(0, bytes.count - 4_000)  // formulas near the end only: bounded work on long completions
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "$") {
                let double = i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "$")
                let open = i + (double ? 2 : 1)
                var j = open
                while j < bytes.count && bytes[j] != UInt8(ascii: "$") {
                    if bytes[j] == UInt8(ascii: "\\") { j += 1 }
                    j += 1
                }
                guard j < bytes.count else { break }
                let content = bytes[open..<j]
                let close = j + (double ? 2 : 1)
                if let last = content.last, !ByteSearch.isSpace(last), !content.isEmpty {
                    spans.append((i, min(close, bytes.count), content))
                }
                i = close
            } else if b == UInt8(ascii: "\\"), i + 1 < bytes.count,
                      bytes[i + 1] == UInt8(ascii: "(") || bytes[i + 1] == UInt8(ascii: "[") {
                let closer = bytes[i + 1] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
                var j = i + 2
                while j + 1 < bytes.count && !(bytes[j] == UInt8(ascii: "\\") && bytes[j + 1] == closer) { j += 1 }
                guard j + 1 < bytes.count else { break }
                spans.append((i, j + 2, bytes[(i + 2)..<j]))
                i = j + 2
            } else {
                i += 1
            }
        }
        guard var last = spans.popLast() else { return nil }
        var parts = [last.content]
        while let previous = spans.popLast() {
            let gap = ByteSearch.string(bytes[previous.end..<last.start]).trimmingSpaces.lowercased()
            guard ["", ",", "and", "or", ", and", ", or"].contains(gap) else { break }
            parts.insert(previous.content, at: 0)
            last = (previous.start, last.end, last.content)
        }
        let text = parts.map { clean($0) }.joined(separator: ", ")
        return text.isEmpty ? nil : (text, last.end)
    }

    /// The gold answer: the last `\boxed{}`, a GSM8K `#### n` line or an `<answer>` tag if present, else the whole
    /// text (a MATH gold is LaTeX without `$`).
    func gold(_ text: String) -> Match? {
        var bytes = Array(text.utf8)
        if bytes.count > options.maxInputBytes { bytes = Array(bytes.suffix(options.maxInputBytes)) }
        for e in [MathVerify.Extractor.boxed, .gsm8k, .answerTag] {
            if let m = lastMatch(e, in: bytes) { return m }
        }
        let whole = clean(ArraySlice(bytes))
        return whole.isEmpty ? nil : Match(text: whole, end: bytes.count, extractor: nil)
    }

    // MARK: Extractors

    func lastMatch(_ extractor: MathVerify.Extractor, in bytes: [UInt8]) -> Match? {
        switch extractor {
        case .boxed: return lastBoxed(in: bytes)
        case .answerTag: return lastTag(in: bytes)
        case .gsm8k: return lastAfter(["####"], in: bytes, extractor: .gsm8k, lineOnly: true)
        case .finalAnswer:
            return lastAfter(["final answer:", "final answer\n", "final answer**\n", "final answer:**", "final answer**:",
                              "final answer\r\n"], in: bytes, extractor: .finalAnswer, lineOnly: false)
        case .answerIs:
            return lastAfter(["answer is", "answer:", "answer would be", "answer should be", "answer =",
                              "answer will be", "answer becomes"], in: bytes, extractor: .answerIs, lineOnly: false)
        case .correction: return lastCorrection(in: bytes)
        case .bold: return lastBold(in: bytes)
        }
    }

    private func lastBoxed(in bytes: [UInt8]) -> Match? {
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
        // Answers boxed one by one ("\boxed{1} and \boxed{2}") are read as a list.
        var parts = [found[found.count - 1]]
        var k = found.count - 2
        while k >= 0, found[k].end <= parts[0].start {
            let gap = bytes[found[k].end..<parts[0].start]
            let connective = ByteSearch.string(gap).trimmingSpaces.lowercased()
            guard gap.count <= 12,
                  ["", ",", "and", "$, $", "$ and $", "$,$", ",\\", ", and", "$, and $", "\\text{ and }", ";"]
                    .contains(connective) else { break }
            parts.insert(found[k], at: 0)
            k -= 1
        }
        let text = parts.map { clean($0.content) }.joined(separator: ", ")
        return Match(text: text, end: found.last!.end, extractor: .boxed)
    }

    private func lastTag(in bytes: [UInt8]) -> Match? {
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
        if inner.count > 200, let m = lastAfter(["answer is", "answer:"], in: innerBytes, extractor: .answerTag,
                                                lineOnly: false) {
            return Match(text: m.text, end: end, extractor: .answerTag)
        }
        let text = clean(inner)
        return text.isEmpty ? nil : Match(text: text, end: end, extractor: .answerTag)
    }

    /// The text after the last occurrence of any phrase, to the end of its sentence (or line).
    private func lastAfter(_ phrases: [String], in bytes: [UInt8], extractor: MathVerify.Extractor, lineOnly: Bool)
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
            let text = clean(slice)
            if !text.isEmpty && (extractor == .gsm8k || AnswerExtractor.looksLikeAnswer(text)) {
                return Match(text: text, end: end, extractor: extractor)
            }
        }
        return nil
    }

    /// From `start`: a `$...$`, `\(...\)`, `\[...\]` or `\boxed{}` group, else up to the end of the sentence.
    private func sentence(in bytes: [UInt8], from start: Int, lineOnly: Bool) -> (ArraySlice<UInt8>, Int) {
        var i = start
        while i < bytes.count && (ByteSearch.isSpace(bytes[i]) || bytes[i] == UInt8(ascii: ":")
            || bytes[i] == UInt8(ascii: "*")) {
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
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "(") || bytes[i + 1] == UInt8(ascii: "[") {
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
                && (bytes[j + 1] == 0x20 || bytes[j + 1] == 0x0A) { break }
            j += 1
        }
        return (bytes[begin..<j], j)
    }

    /// A self-correction cue ("wait", "actually", ...) at or after `from`, followed by a restated answer.
    private func lastCorrection(in bytes: [UInt8], from: Int = 0) -> Match? {
        guard from < bytes.count else { return nil }
        let cues = ["wait", "actually", "correction", "oops", "i mean", "sorry"]
        let tail = from == 0 ? bytes : Array(bytes[from...])
        var positions: [Int] = []
        for c in cues {
            positions += ByteSearch.occurrences(of: Array(c.utf8), in: tail, ignoreCase: true).map { from + $0 + c.utf8.count }
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

    private func lastBold(in bytes: [UInt8]) -> Match? {
        let marks = ByteSearch.occurrences(of: Array("**".utf8), in: bytes)
        var k = marks.count - 1
        while k >= 1 {
            if marks[k] > marks[k - 1] + 2, marks[k] - marks[k - 1] <= 202,
               bytes[(marks[k - 1] + 2)..<marks[k]].contains(where: ByteSearch.isDigit) {
                let inner = bytes[(marks[k - 1] + 2)..<marks[k]]
                let text = clean(inner)
                if !text.isEmpty { return Match(text: text, end: marks[k] + 2, extractor: .bold) }
            }
            k -= 2
        }
        return nil
    }

    /// The last number in the text (`-1,234.5`, `3/4`, `25%`), with its sign, and where it ends.
    func lastNumber(in bytes: [UInt8]) -> (text: String, end: Int)? {
        var j = bytes.count - 1
        while j >= 0 && !ByteSearch.isDigit(bytes[j]) { j -= 1 }
        guard j >= 0 else { return nil }
        let end = j + 1
        var i = j
        while i > 0 {
            let b = bytes[i - 1]
            if ByteSearch.isDigit(b) {
                i -= 1
            } else if (b == UInt8(ascii: ".") || b == UInt8(ascii: ",") || b == UInt8(ascii: "/")) && i >= 2
                        && ByteSearch.isDigit(bytes[i - 2]) {
                i -= 1
            } else {
                break
            }
        }
        if i > 0 && (bytes[i - 1] == UInt8(ascii: "-")) { i -= 1 }
        var stop = end
        if stop < bytes.count && bytes[stop] == UInt8(ascii: "%") { stop += 1 }
        return (ByteSearch.string(bytes[i..<stop]), stop)
    }

    // MARK: Cleaning

    /// Trims white space, `$`/`\(`/`\[` delimiters, a `\boxed{}` wrapper, bold marks and trailing punctuation.
    func clean(_ slice: ArraySlice<UInt8>) -> String {
        // Too long to be an answer: returned as is, and refused later as over budget.
        if slice.count > 2 * options.maxAnswerBytes { return ByteSearch.string(slice) }
        var s = ByteSearch.string(slice).trimmingSpaces
        var changed = true
        var rounds = 0
        while changed && rounds < 8 {
            changed = false
            rounds += 1
            let before = s
            for suffix in [".", ",", ";", ":"] where s.hasSuffix(suffix) { s.removeLast() }
            if s.hasSuffix("**") { s.removeLast(2) }
            if s.hasPrefix("**") { s.removeFirst(2) }
            for (open, close) in [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"), ("**", "**")]
            where s.hasPrefix(open) && s.hasSuffix(close) && s.utf8.count >= open.utf8.count + close.utf8.count {
                s = String(s.dropFirst(open.count).dropLast(close.count))
            }
            if s.hasPrefix("$") && !s.dropFirst().contains("$") { s.removeFirst() }
            if s.hasSuffix("$") && !s.dropLast().contains("$") { s.removeLast() }
            if s.contains("\\boxed") || s.contains("\\fbox"), let m = lastBoxed(in: Array(s.utf8)) { s = m.text }
            for lead in ["answer:", "answer ", "answer\n"] where s.lowercased().hasPrefix(lead) {
                s = String(s.dropFirst(lead.count))  // `Answer \[ 9 \]`
            }
            if s.lowercased().hasSuffix("i hope it is correct") { s = String(s.dropLast(20)) }
            s = s.trimmingSpaces
            changed = s != before
        }
        return s
    }

    /// True for short texts that read as an answer rather than prose: at most one word of two or more letters
    /// outside LaTeX commands (function names, number words and "and"/"or" do not count).
    static func looksLikeAnswer(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        if bytes.count > 300 { return false }
        var words = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 1
                while i < bytes.count && ByteSearch.isLetter(bytes[i]) { i += 1 }
                // `\text{...}` content is allowed to be words.
                if i < bytes.count && bytes[i] == UInt8(ascii: "{"), let end = ByteSearch.matchingBrace(in: bytes, open: i) {
                    i = end
                }
                continue
            }
            if ByteSearch.isLetter(bytes[i]) {
                let start = i
                while i < bytes.count && ByteSearch.isLetter(bytes[i]) { i += 1 }
                let word = ByteSearch.string(bytes[start..<i]).lowercased()
                if i - start >= 2 && !Parser.functions.contains(word) && !NumberWords.isNumberWord(word)
                    && word != "and" && word != "or" && word != "pi" && word != "sqrt" {
                    words += 1
                }
                continue
            }
            i += 1
        }
        return words <= 1
    }
}
