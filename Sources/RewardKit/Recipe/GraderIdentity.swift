/// Who graded a result: Arbiter's version and the recipe's name and content hash, written into every result as
/// `"grader": {"arbiter": …, "recipe": …, "recipe_sha256": …}` so that stored rollouts say which grader scored
/// them, and `reward check --against` can show what a grader upgrade changes.
public struct GraderIdentity: Sendable, Equatable {
    /// Arbiter's version; raised whenever a change alters how some sample is scored (0.3.0: the math gaps of
    /// issue 13, the unittest/pytest kinds and value transit of issue 14, the driver's list encoding).
    public static let arbiterVersion = "0.3.0"

    public var arbiter: String
    public var recipe: String
    /// SHA-256 of the recipe's reward node as compact JSON (the name and description do not change a score).
    public var recipeSHA256: String

    public init(recipe: Recipe) {
        arbiter = Self.arbiterVersion
        self.recipe = recipe.name
        recipeSHA256 = SHA256.hex(JSONWriter.bytes(recipe.node))
    }

    public init(arbiter: String, recipe: String, recipeSHA256: String) {
        self.arbiter = arbiter
        self.recipe = recipe
        self.recipeSHA256 = recipeSHA256
    }

    /// Reads a result's `grader` field; nil when it is absent or malformed.
    public init?(json: JSON?) {
        guard let o = json?.objectValue, let a = o["arbiter"]?.stringValue, let r = o["recipe"]?.stringValue,
            let h = o["recipe_sha256"]?.stringValue
        else { return nil }
        self.init(arbiter: a, recipe: r, recipeSHA256: h)
    }

    public var json: JSON {
        .object(
            JSONObject([
                ("arbiter", .string(arbiter)), ("recipe", .string(recipe)),
                ("recipe_sha256", .string(recipeSHA256)),
            ]))
    }

    /// The identity for a result: the recipe the record names (when the book has it), else `fallback`.
    public static func of(_ record: ScoredRecord, book: RecipeBook, fallback: Recipe) -> GraderIdentity {
        if let name = record.fields["recipe"]?.stringValue, let named = book.recipes[name] {
            return GraderIdentity(recipe: named)
        }
        return GraderIdentity(recipe: fallback)
    }
}
