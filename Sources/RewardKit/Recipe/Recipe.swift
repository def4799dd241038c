/// A named, described reward definition: `{"name": …, "description": …, "reward": node}`.
///
/// See `RecipeBuilder` for the node grammar. Recipes are data: they are read from JSON files or from the
/// built-in `RecipeBook`, validated when built, and rejected with a message naming the key and value.
public struct Recipe: Sendable, Hashable {
    public var name: String
    public var description: String
    public var node: JSON

    public init(name: String, description: String, node: JSON) {
        self.name = name
        self.description = description
        self.node = node
    }

    /// Reads a recipe object; `name` and `description` are optional, `reward` is required.
    public init(json: JSON, defaultName: String = "inline") throws {
        guard let o = json.objectValue else {
            throw RecipeError("recipe: expected an object, got \(json.jsonText.prefix(80))")
        }
        for key in o.keys where !["name", "description", "reward"].contains(key) {
            throw RecipeError(
                "recipe: unknown key \"\(key)\" (value \(o[key]!.jsonText.prefix(80))); allowed: description, name, reward"
            )
        }
        guard let node = o["reward"] else { throw RecipeError("recipe: missing key \"reward\" (the reward node)") }
        if let n = o["name"], n.stringValue == nil {
            throw RecipeError("recipe.name: expected a string, got \(n.jsonText)")
        }
        if let d = o["description"], d.stringValue == nil {
            throw RecipeError("recipe.description: expected a string, got \(d.jsonText)")
        }
        self.init(
            name: o["name"]?.stringValue ?? defaultName, description: o["description"]?.stringValue ?? "", node: node)
    }

    /// Parses recipe JSON text.
    public init(text: String, defaultName: String = "inline") throws {
        let json: JSON
        do { json = try JSONParser.parse(text) } catch { throw RecipeError("recipe: invalid JSON: \(error)") }
        try self.init(json: json, defaultName: defaultName)
    }

    /// Builds the reward with the terms of `registry`.
    public func build(_ registry: TermRegistry) throws -> any Reward {
        try RecipeBuilder(registry: registry).build(node, path: "reward")
    }

    /// The recipe as JSON.
    public var json: JSON {
        .object(JSONObject([("name", .string(name)), ("description", .string(description)), ("reward", node)]))
    }
}
