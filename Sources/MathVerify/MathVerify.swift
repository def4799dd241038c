/// Answer extraction and mathematical equivalence for math rewards (issue 3).
///
/// `MathVerify.verify(gold:prediction:options:)` finds the final answer in both texts, parses each into an
/// expression tree and decides equivalence: exactly for rationals, within a tolerance for irrational values, at
/// random points for expressions with variables, structurally for lists, sets, tuples, intervals and matrices.
/// Every check runs under a fixed budget (`Options.maxSteps`, `maxDepth`, `maxBits`, `maxAnswerBytes`): over budget
/// is `undecided` with a reason (see `Verdict`), as is an answer not found or not parsed. There is no global state;
/// checks may run concurrently from any thread.
public enum MathVerify {
    /// Checks whether `prediction` (a model completion, or a bare answer) answers like `gold` (a GSM8K solution
    /// ending in `#### n`, a MATH solution with `\boxed{}`, or a bare LaTeX answer).
    public static func verify(gold: String, prediction: String, options: Options = Options()) -> Verification {
        let budget = Budget(maxSteps: options.maxSteps, maxDepth: options.maxDepth, maxBits: options.maxBits)
        let extractor = AnswerExtractor(options: options)
        let goldMatch = extractor.gold(gold)
        let predictionMatch = extractor.prediction(prediction)
        var result = Verification(
            verdict: .undecided, extractedGold: goldMatch?.text,
            extractedPrediction: predictionMatch?.text, parsedGold: nil, parsedPrediction: nil,
            reason: "", steps: 0)
        guard let g = goldMatch?.text else {
            result.reason = "no gold answer found"
            return result
        }
        guard let p = predictionMatch?.text else {
            result.reason = "no answer found in the prediction"
            return result
        }
        let outcome = compare(gold: g, prediction: p, options: options, budget: budget, result: &result)
        result.verdict = outcome.0
        result.reason = outcome.1
        result.steps = budget.steps
        return result
    }

    /// The answer `verify` would read from a completion, or nil.
    public static func extractAnswer(from completion: String, options: Options = Options()) -> String? {
        AnswerExtractor(options: options).prediction(completion)?.text
    }

    /// The answer `verify` would read from a gold text, or nil.
    public static func extractGold(from gold: String, options: Options = Options()) -> String? {
        AnswerExtractor(options: options).gold(gold)?.text
    }

    /// The parsed form of an answer in a plain notation, or the reason it does not parse.
    public static func parse(_ answer: String, options: Options = Options()) -> Result<String, MathVerifyError> {
        let budget = Budget(maxSteps: options.maxSteps, maxDepth: options.maxDepth, maxBits: options.maxBits)
        do {
            let expr = try Parser.parse(UnicodeFolding.fold(answer), budget: budget, decimalComma: options.decimalComma)
            return .success(expr.description)
        } catch {
            return .failure(error)
        }
    }

    private static func compare(
        gold: String, prediction: String, options: Options, budget: Budget,
        result: inout Verification
    ) -> (MathVerify.Verdict, String) {
        for (name, text) in [("gold", gold), ("prediction", prediction)] where text.utf8.count > options.maxAnswerBytes
        {
            return (.undecided, "over budget: \(name) answer longer than \(options.maxAnswerBytes) bytes")
        }
        let identical = compact(gold) == compact(prediction)
        let parsed = [gold, prediction].map { (text) -> Result<Expr, MathVerifyError> in
            Result { () throws(MathVerifyError) -> Expr in
                try Parser.parse(UnicodeFolding.fold(text), budget: budget, decimalComma: options.decimalComma)
            }
        }
        result.parsedGold = try? parsed[0].get().description
        result.parsedPrediction = try? parsed[1].get().description
        guard case .success(let goldExpr) = parsed[0], case .success(var predictionExpr) = parsed[1] else {
            if identical { return (.equal, "identical answers") }
            let failure = zip(["gold", "prediction"], parsed).compactMap { name, r -> String? in
                if case .failure(let e) = r { return "\(name) \(e)" }
                return nil
            }.first!
            return textFallback(gold, prediction, options, failure)
        }
        if identical { return (.equal, "identical answers") }
        if !options.allowSetRelationComparison, predictionExpr.isInequality, !goldExpr.isInequality {
            return (.different, "an inequality against a gold that is not one (allowSetRelationComparison is off)")
        }
        if !options.strict { predictionExpr = predictionExpr.renamingVariables(as: goldExpr) }
        let canonicalizer = Canonicalizer(options: options, budget: budget)
        let comparer = Comparer(options: options, budget: budget)
        var lastReason = "different"
        do {
            for g in try canonicalizer.readings(goldExpr) {
                for p in try canonicalizer.readings(predictionExpr) {
                    switch try comparer.compare(g, p) {
                    case .equal(let why): return (.equal, why)
                    case .different(let why): lastReason = why
                    }
                }
            }
        } catch {
            if case .overBudget = error { return (.undecided, error.description) }
            let fallback = textFallback(gold, prediction, options, error.description)
            return fallback
        }
        // Words that did not compare as mathematics (`\text{A5}_{11}`) may still be the same words.
        if goldExpr.containsText || predictionExpr.containsText, textKey(gold, options) == textKey(prediction, options)
        {
            return (.equal, "same text")
        }
        return (.different, lastReason)
    }

    /// Answers that could not be compared as mathematics: equal when they are the same words, else undecided.
    private static func textFallback(_ gold: String, _ prediction: String, _ options: Options, _ why: String)
        -> (MathVerify.Verdict, String)
    {
        textKey(gold, options) == textKey(prediction, options) ? (.equal, "same text") : (.undecided, why)
    }

    /// The answer without white space, except a single space between two digits (`2 1/2` is not `21/2`).
    private static func compact(_ s: String) -> [UInt8] {
        let bytes = Array(s.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() {
            if ByteSearch.isSpace(b) {
                let digitBefore = out.last.map(ByteSearch.isDigit) ?? false
                let digitAfter = i + 1 < bytes.count && ByteSearch.isDigit(bytes[i + 1])
                if digitBefore && digitAfter { out.append(0x20) }
                continue
            }
            out.append(b)
        }
        return out
    }

    /// The answer as bare words: no LaTeX text wrappers, braces, `$` or spaces (but a space between digits stays);
    /// no final full stop; lowercased when the options say so;
    /// a lone choice letter loses its parentheses (`\text{(C)}` → `c`).
    private static func textKey(_ s: String, _ options: Options) -> String {
        var t = s
        for wrapper in ["\\text", "\\textbf", "\\mathrm", "\\mbox", "\\textit", "\\mathbf"] {
            t = t.replacingAll(wrapper, with: "")
        }
        let folded = String(
            decoding: UnicodeFolding.fold(t).filter {
                $0 != UInt8(ascii: "{") && $0 != UInt8(ascii: "}") && $0 != UInt8(ascii: "$") && $0 != UInt8(ascii: "~")
            }, as: UTF8.self)
        var bytes = compact(folded)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        if options.caseInsensitiveText { bytes = bytes.map { ByteSearch.lower($0, true) } }
        if bytes.count == 3, bytes[0] == UInt8(ascii: "("), bytes[2] == UInt8(ascii: ")") { bytes = [bytes[1]] }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    /// Every occurrence of `target` replaced (a Foundation-free `replacingOccurrences`).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let parts = ByteSearch.occurrences(of: Array(target.utf8), in: Array(utf8))
        guard !parts.isEmpty else { return self }
        var out = [UInt8]()
        let bytes = Array(utf8)
        var last = 0
        let n = target.utf8.count
        for p in parts where p >= last {
            out += bytes[last..<p]
            out += replacement.utf8
            last = p + n
        }
        out += bytes[last...]
        return String(decoding: out, as: UTF8.self)
    }
}
