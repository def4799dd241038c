/// Fallbacks when no marker matched (the last formula, the last number) and the cleaning of every extracted answer.
extension AnswerExtractor {
    /// The last `$...$`, `\(...\)` or `\[...\]` formula (with the ones before it joined when only ",", "and" or
    /// "or" separate them: `$x=5$ or $x=-5$`). A `$` span that starts with a digit and ends in a space (`$5 and $`)
    /// is taken for currency and skipped; `$ \frac{10}{9} $` is a formula (gap A). In LaTeX-only mode an inline
    /// span (`$…$`, `\(…\)`) stays on one line, as math-verify reads them.
    func lastMath(in bytes: [UInt8]) -> (text: String, end: Int)? {
        let oneLine = options.extractionMode == .latex
        var spans: [(start: Int, end: Int, content: ArraySlice<UInt8>)] = []
        var i = max(0, bytes.count - 4_000)  // formulas near the end only: bounded work on long completions
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "$") {
                let double = i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "$")
                let open = i + (double ? 2 : 1)
                var j = open
                var broken = false
                while j < bytes.count && bytes[j] != UInt8(ascii: "$") {
                    if bytes[j] == 0x0A && !double { broken = true }
                    if bytes[j] == UInt8(ascii: "\\") { j += 1 }
                    j += 1
                }
                guard j < bytes.count else { break }
                let content = bytes[open..<j]
                let close = j + (double ? 2 : 1)
                let currency =
                    content.first.map(ByteSearch.isDigit) == true
                    && content.last.map(ByteSearch.isSpace) == true
                let blank = content.allSatisfy(ByteSearch.isSpace)
                if !currency && !blank && !(broken && oneLine) {
                    spans.append((i, min(close, bytes.count), content))
                }
                i = close
            } else if b == UInt8(ascii: "\\"), i + 1 < bytes.count,
                bytes[i + 1] == UInt8(ascii: "(") || bytes[i + 1] == UInt8(ascii: "[")
            {
                let closer = bytes[i + 1] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
                var j = i + 2
                var broken = false
                while j + 1 < bytes.count && !(bytes[j] == UInt8(ascii: "\\") && bytes[j + 1] == closer) {
                    if bytes[j] == 0x0A && closer == UInt8(ascii: ")") { broken = true }
                    j += 1
                }
                guard j + 1 < bytes.count else { break }
                if !(broken && oneLine) { spans.append((i, j + 2, bytes[(i + 2)..<j])) }
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
                && ByteSearch.isDigit(bytes[i - 2])
            {
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
            // Byte searches below, not `String.contains` / `lowercased()`: this loop runs for every answer read,
            // and those were most of a GSM8K check's time (`reward bench math`). The markers are ASCII.
            if s.hasPrefix("$") && !s.utf8.dropFirst().contains(UInt8(ascii: "$")) { s.removeFirst() }
            if s.hasSuffix("$") && !s.utf8.dropLast().contains(UInt8(ascii: "$")) { s.removeLast() }
            if ByteSearch.contains("\\boxed", in: s) || ByteSearch.contains("\\fbox", in: s),
                let m = lastBoxed(in: Array(s.utf8))
            {
                s = m.text
            }
            for lead in ["answer:", "answer ", "answer\n"] where ByteSearch.hasPrefix(lead, ignoringCaseIn: s) {
                s = String(s.dropFirst(lead.count))  // `Answer \[ 9 \]`
            }
            if ByteSearch.hasSuffix("i hope it is correct", ignoringCaseIn: s) { s = String(s.dropLast(20)) }
            s = s.trimmingSpaces
            changed = s != before
        }
        return s
    }

    /// True for short texts that read as an answer rather than prose: at most one word of two or more letters
    /// outside LaTeX commands (function names, number words and "and"/"or" do not count).
    static func looksLikeAnswer(_ s: String) -> Bool {
        s.utf8.count <= 300 && wordCount(s, stoppingAfter: 2) <= 1
    }

    /// True for sentences rather than an answer: four or more words (counted as in `looksLikeAnswer`), or a full
    /// stop, question or exclamation mark ending a sentence inside the text.
    static func isProse(_ s: String) -> Bool {
        if wordCount(s, stoppingAfter: 4) >= 4 { return true }
        let bytes = Array(s.utf8)
        for i in bytes.indices.dropLast()
        where bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "?")
            || bytes[i] == UInt8(ascii: "!")
        {
            if ByteSearch.isSpace(bytes[i + 1]) && i > 0 && !ByteSearch.isDigit(bytes[i - 1]) { return true }
        }
        return false
    }

    /// Words of two or more letters outside LaTeX commands (function names, number words, "and", "or", "pi" and
    /// "sqrt" do not count; `\text{…}` content is skipped), counted up to `limit`.
    static func wordCount(_ s: String, stoppingAfter limit: Int) -> Int {
        let bytes = Array(s.utf8)
        var words = 0
        var i = 0
        while i < bytes.count && words < limit {
            if bytes[i] == UInt8(ascii: "\\") {
                i += 1
                while i < bytes.count && ByteSearch.isLetter(bytes[i]) { i += 1 }
                // `\text{...}` content is allowed to be words.
                if i < bytes.count && bytes[i] == UInt8(ascii: "{"),
                    let end = ByteSearch.matchingBrace(in: bytes, open: i)
                {
                    i = end
                }
                continue
            }
            if ByteSearch.isLetter(bytes[i]) {
                let start = i
                while i < bytes.count && ByteSearch.isLetter(bytes[i]) { i += 1 }
                let word = ByteSearch.string(bytes[start..<i]).lowercased()
                if i - start >= 2 && !Parser.functions.contains(word) && !NumberWords.isNumberWord(word)
                    && word != "and" && word != "or" && word != "pi" && word != "sqrt"
                {
                    words += 1
                }
                continue
            }
            i += 1
        }
        return words
    }
}
