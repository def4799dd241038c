/// Finds the final answer in a completion or a gold solution (see `MathVerify.Extractor` for the markers).
struct AnswerExtractor {
    let options: MathVerify.Options

    static let structural: Set<MathVerify.Extractor> = [.boxed, .answerTag, .gsm8k]
    static let phrases: Set<MathVerify.Extractor> = [.finalAnswer, .answerIs, .correction]

    /// A candidate answer: its text and where its marker ended in the completion.
    struct Match {
        var text: String
        var end: Int
        var extractor: MathVerify.Extractor? = nil
    }

    /// The answer of a model's completion, or nil when none was found.
    func prediction(_ completion: String) -> Match? {
        read(input(completion))
    }

    /// The text's bytes as searched: its last `maxInputBytes`, with mis-escaped LaTeX repaired (`EscapedLatex`).
    func input(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        if bytes.count > options.maxInputBytes { bytes = Array(bytes.suffix(options.maxInputBytes)) }
        return EscapedLatex.repair(bytes) ?? bytes
    }

    /// The answer in a completion's bytes (see `MathVerify.Extractor` for the order).
    func read(_ bytes: [UInt8]) -> Match? {
        let latexOnly = options.extractionMode == .latex
        // Structural markers (boxed, answer tag, `####`) outrank phrases; a self-correction after them still wins.
        var best: Match?
        for tier in [AnswerExtractor.structural, AnswerExtractor.phrases] {
            for extractor in options.extractionOrder where tier.contains(extractor) {
                if extractor == .boxed && options.extractionMode == .expr { continue }
                guard let m = lastMatch(extractor, in: bytes) else { continue }
                if !options.lastMarkerWins {
                    if best == nil { best = m }
                    continue
                }
                if best == nil || m.end > best!.end { best = m }
            }
            if best != nil { break }
        }
        if let found = best, found.extractor.map(AnswerExtractor.structural.contains) ?? false {
            // A "Final Answer:" written after the last box overrides the boxed intermediate values (gap M); so
            // does a self-correction.
            if options.extractionOrder.contains(.finalAnswer), found.end < bytes.count,
                let f = lastMatch(.finalAnswer, in: Array(bytes[found.end...]))
            {
                best = Match(text: f.text, end: found.end + f.end, extractor: .finalAnswer)
            }
            if options.extractionOrder.contains(.correction), let c = lastCorrection(in: bytes, from: best!.end) {
                best = c
            }
        }
        if let best { return best }
        if options.extractionOrder.contains(.bold), let m = lastMatch(.bold, in: bytes) { return m }
        if !latexOnly && bytes.count <= options.wholeTextMaxLength + 16 {
            let whole = clean(ArraySlice(bytes))
            // Prose around a formula (`So, $x = 3$.`) is not a bare answer: the formula fallback below reads it.
            let hasFormula = whole.utf8.contains(UInt8(ascii: "$")) || whole.contains("\\(") || whole.contains("\\[")
            if !whole.isEmpty && !hasFormula && whole.utf8.count <= options.wholeTextMaxLength
                && AnswerExtractor.looksLikeAnswer(whole)
            {
                return Match(text: whole, end: bytes.count, extractor: nil)
            }
        }
        // The last inline formula if it is where the last number is (`So, $x = 3$.`, `$(2, 3)$`), else that number.
        let math = options.extractionMode == .expr ? nil : lastMath(in: bytes)
        guard options.lastNumberFallback, !latexOnly else { return math.map { Match(text: $0.text, end: $0.end) } }
        let number = lastNumber(in: bytes)
        if let math, number == nil || math.end >= number!.end {
            return Match(text: math.text, end: math.end, extractor: nil)
        }
        return number.map { Match(text: $0.text, end: $0.end, extractor: nil) }
    }

    /// The gold answer: the last `\boxed{}`, a GSM8K `#### n` line or an `<answer>` tag if present; else the whole
    /// text unless it is prose (a MATH gold is LaTeX without `$`; `10 inches and 5 feet` is an answer); for a worked
    /// solution in prose, the answer a completion would give (gap L: "… The final answer is $28\%$").
    func gold(_ text: String) -> Match? {
        let bytes = input(text)
        for e in [MathVerify.Extractor.boxed, .gsm8k, .answerTag] {
            if e == .boxed && options.extractionMode == .expr { continue }
            if let m = lastMatch(e, in: bytes) { return m }
        }
        let whole = clean(ArraySlice(bytes))
        if whole.isEmpty { return nil }
        if AnswerExtractor.isProse(whole), let m = read(bytes) { return m }
        return Match(text: whole, end: bytes.count, extractor: nil)
    }

    // MARK: Extractors

    func lastMatch(_ extractor: MathVerify.Extractor, in bytes: [UInt8]) -> Match? {
        switch extractor {
        case .boxed: return lastBoxed(in: bytes)
        case .answerTag: return lastTag(in: bytes)
        case .gsm8k: return lastAfter(["####"], in: bytes, extractor: .gsm8k, lineOnly: true)
        case .finalAnswer:
            let phrases = [
                "final answer:", "final answer is", "final answer\n", "final answer**\n", "final answer:**",
                "final answer**:", "final answer\r\n",
            ]
            return lastAfter(phrases, in: bytes, extractor: .finalAnswer, lineOnly: false)
        case .answerIs:
            return lastAfter(
                [
                    "answer is", "answer:", "answer would be", "answer should be", "answer =",
                    "answer will be", "answer becomes",
                ], in: bytes, extractor: .answerIs, lineOnly: false)
        case .correction: return lastCorrection(in: bytes)
        case .bold: return lastBold(in: bytes)
        }
    }

}
