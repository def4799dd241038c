/// Scores input records (JSON objects as `reward check` and `POST /v1/score` receive them) and writes result
/// records: every input field passed through, then `reward`, `components`, `reason`, `verdict` and `error`.
///
/// Contract: one result per input, in order, whatever is wrong with an input. An input that is not a valid
/// sample, names an unknown recipe, or cannot be scored gets `"reward": null` and an `error` naming what is wrong
/// (and, when `lineNumber` is given, the line). A record may name its own recipe in a `recipe` field.
public struct RecordScorer: Sendable {
    public let book: RecipeBook
    /// The reward for records that name no recipe.
    public let defaultReward: any Reward
    public let defaultRecipeName: String

    /// `registry` builds `defaultRecipe` (default: the book's); recipes records name are built from the book.
    public init(book: RecipeBook, defaultRecipe: Recipe, registry: TermRegistry? = nil) throws {
        self.book = book
        self.defaultReward = try defaultRecipe.build(registry ?? book.registry)
        self.defaultRecipeName = defaultRecipe.name
    }

    /// One input: a parsed object, or the reason it could not be parsed.
    public enum Input: Sendable {
        case object(JSONObject)
        case invalid(String)
    }

    /// Scores a batch. Error messages start with "line N: " when `lineNumbers` (one per input) is given, else
    /// with "sample i: " (0-based position in the batch).
    public func score(_ inputs: [Input], lineNumbers: [Int]? = nil) async -> [ScoredRecord] {
        precondition(lineNumbers == nil || lineNumbers!.count == inputs.count, "one line number per input")
        func label(_ i: Int) -> String { lineNumbers.map { "line \($0[i]): " } ?? "sample \(i): " }
        var results = [ScoredRecord?](repeating: nil, count: inputs.count)
        // Group the valid samples by recipe so that each reward sees one batch (group terms need that).
        var byRecipe: [String: [(Int, Sample)]] = [:]
        var recipeOrder: [String] = []
        for (i, input) in inputs.enumerated() {
            switch input {
            case .invalid(let why):
                results[i] = ScoredRecord(fields: JSONObject(), score: .failure(label(i) + why), line: lineNumbers?[i])
            case .object(let o):
                do {
                    let sample = try Sample(json: o)
                    var recipe = defaultRecipeName
                    if let r = o["recipe"], !r.isNull {
                        guard let name = r.stringValue else {
                            throw SampleError("field \"recipe\" must be a recipe name, got \(r.jsonText)")
                        }
                        recipe = name
                    }
                    if byRecipe[recipe] == nil { recipeOrder.append(recipe) }
                    byRecipe[recipe, default: []].append((i, sample))
                } catch {
                    results[i] = ScoredRecord(fields: o, score: .failure(label(i) + "\(error)"), line: nil)
                }
            }
        }
        for name in recipeOrder {
            let members = byRecipe[name]!
            let reward: any Reward
            if name == defaultRecipeName {
                reward = defaultReward
            } else {
                do { reward = try book.reward(named: name) } catch {
                    for (i, s) in members {
                        results[i] = ScoredRecord(fields: s.fields, score: .failure(label(i) + "\(error)"), line: nil)
                    }
                    continue
                }
            }
            let scores = await reward.score(members.map(\.1))
            for ((i, s), score) in zip(members, scores) {
                var score = score
                if let e = score.error { score.error = label(i) + e }
                if !score.isError && !score.value.isFinite {
                    score = .failure(label(i) + "reward is not a finite number")
                }
                results[i] = ScoredRecord(fields: s.fields, score: score, line: nil)
            }
        }
        return results.map { $0! }
    }
}

/// One scored input, ready to be written.
public struct ScoredRecord: Sendable {
    public var fields: JSONObject
    public var score: Score
    /// The input's line number, for inputs that were not even JSON objects (so the output says which line).
    public var line: Int?

    /// The result object: input fields, then `reward` and `components` (both null on error: a line that could not
    /// be scored shows no values, not even those of the terms that did score), `reason`, `verdict` (for rewards
    /// that give one: `equal`, `different` or `undecided`), `error`.
    public var json: JSONObject {
        var o = fields
        if let line { o["line"] = .int(Int64(line)) }
        o["reward"] = score.isError ? .null : .double(score.value)
        o["components"] =
            score.isError
            ? .null
            : .object(JSONObject(score.components.sorted { $0.key < $1.key }.map { ($0.key, JSON.double($0.value)) }))
        if let r = score.reason { o["reason"] = .string(r) }
        if let v = score.verdict, !score.isError { o["verdict"] = .string(v.rawValue) }
        if let e = score.error { o["error"] = .string(e) }
        return o
    }
}
