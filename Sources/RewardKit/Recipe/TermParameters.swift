/// The parameters of one recipe term, read by the term's factory.
///
/// Each getter marks its key as read and checks the value's type and range; after the factory returns, any key
/// it did not read is rejected as unknown. Errors name the term's path in the recipe, the key and the value.
public final class TermParameters {
    /// Where the term sits in the recipe, e.g. `reward.sum[1].params`.
    public let path: String
    public let values: JSONObject
    /// The registry, so a term can take another reward as a parameter (`correctness` of a length reward).
    public let registry: TermRegistry
    private(set) var read: Set<String> = []

    public init(_ values: JSONObject, path: String, registry: TermRegistry) {
        self.values = values
        self.path = path
        self.registry = registry
    }

    private func take(_ key: String) -> JSON? {
        read.insert(key)
        guard let v = values[key], !v.isNull else { return nil }
        return v
    }

    func bad(_ key: String, _ value: JSON, _ expected: String) -> RecipeError {
        RecipeError("\(path).\(key): expected \(expected), got \(value.jsonText)")
    }

    public func double(_ key: String, default d: Double, in range: ClosedRange<Double>? = nil) throws -> Double {
        guard let v = take(key) else { return d }
        guard let x = v.doubleValue, x.isFinite else { throw bad(key, v, "a number") }
        if let range, !range.contains(x) {
            throw bad(key, v, "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return x
    }

    public func int(_ key: String, default d: Int, in range: ClosedRange<Int>? = nil) throws -> Int {
        guard let v = take(key) else { return d }
        guard let x = v.intValue else { throw bad(key, v, "an integer") }
        if let range, !range.contains(x) {
            throw bad(key, v, "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return x
    }

    public func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let v = take(key) else { return d }
        guard let x = v.boolValue else { throw bad(key, v, "true or false") }
        return x
    }

    public func string(_ key: String, default d: String, oneOf choices: [String]? = nil) throws -> String {
        guard let s = try optionalString(key) else { return d }
        if let choices, !choices.contains(s) {
            throw bad(key, .string(s), "one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return s
    }

    public func optionalString(_ key: String) throws -> String? {
        guard let v = take(key) else { return nil }
        guard let s = v.stringValue else { throw bad(key, v, "a string") }
        return s
    }

    public func strings(_ key: String, default d: [String]) throws -> [String] {
        guard let v = take(key) else { return d }
        guard let a = v.arrayValue else { throw bad(key, v, "a list of strings") }
        return try a.map { item in
            guard let s = item.stringValue else { throw bad(key, v, "a list of strings") }
            return s
        }
    }

    /// A nested reward given as a recipe node, e.g. `"correctness": {"term": "math"}`.
    public func reward(_ key: String, default d: JSON) throws -> any Reward {
        let node = take(key) ?? d
        return try RecipeBuilder(registry: registry).build(node, path: "\(path).\(key)")
    }

    /// The raw value, for terms with structured parameters of their own.
    public func raw(_ key: String) -> JSON? { take(key) }

    /// Throws for the first key no getter read.
    func rejectUnread() throws {
        for key in values.keys where !read.contains(key) {
            throw RecipeError("\(path): unknown parameter \"\(key)\" (value \(values[key]!.jsonText))")
        }
    }
}
