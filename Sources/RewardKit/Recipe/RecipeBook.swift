/// Named recipes, built-in or loaded from a folder, with the terms they may use.
public struct RecipeBook: Sendable {
    public var registry: TermRegistry
    public private(set) var recipes: [String: Recipe] = [:]

    public init(registry: TermRegistry = .standard, recipes: [Recipe] = RecipeBook.builtin) {
        self.registry = registry
        for r in recipes { add(r) }
    }

    public mutating func add(_ recipe: Recipe) { recipes[recipe.name] = recipe }

    public var names: [String] { recipes.keys.sorted() }

    /// Builds the recipe named `name`.
    public func reward(named name: String) throws -> any Reward {
        guard let recipe = recipes[name] else {
            throw RecipeError("unknown recipe \"\(name)\"; known recipes: \(names.joined(separator: ", "))")
        }
        return try recipe.build(registry)
    }

    /// The recipes every Arbiter build knows. `code` and `code-r1` come with CodeRewards.
    public static let builtin: [Recipe] = [
        Recipe(
            name: "math", description: "1 if the final answer equals the reference (MathVerify), else 0",
            node: ["term": "math"]),
        Recipe(
            name: "math-r1",
            description: "DeepSeek-R1 style: math answer + strict think/answer format, weights 1 and 1 (open-r1)",
            node: ["sum": [["term": "math", "name": "accuracy"], ["term": "format", "weight": 1]]]),
        Recipe(
            name: "format",
            description: "open-r1 format signals: strict layout + tag count + reasoning steps, averaged",
            node: [
                "sum": [
                    ["term": "format", "weight": .double(1.0 / 3)], ["term": "tag_count", "weight": .double(1.0 / 3)],
                    ["term": "reasoning_steps", "weight": .double(1.0 / 3)],
                ]
            ]),
    ]
}
