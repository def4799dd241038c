/// Turns a recipe node (JSON) into a `Reward`.
///
/// A node is an object with exactly one of these keys:
/// - `{"term": "math", "params": {…}}` — a registered term;
/// - `{"sum": [node, …]}` — Σ weightᵢ·nodeᵢ; each child may carry `"weight"` (default 1) and `"name"`;
/// - `{"gate": node, "then": node, "threshold": 1, "otherwise": 0}` — `then` counts only where `gate` ≥ threshold;
/// - `{"clamp": node, "min": a, "max": b}`;
/// - `{"scale": node, "factor": k, "offset": c}`.
/// Any node may carry `"name"` (its component name). Unknown keys and bad values are errors naming the path.
public struct RecipeBuilder: Sendable {
    public var registry: TermRegistry
    public init(registry: TermRegistry) { self.registry = registry }

    static let kinds = ["term", "sum", "gate", "clamp", "scale"]

    public func build(_ node: JSON, path: String) throws -> any Reward {
        guard let object = node.objectValue else {
            throw RecipeError(
                "\(path): expected a recipe node (an object with one of \(Self.kinds.joined(separator: ", "))), got \(node.jsonText)"
            )
        }
        let present = Self.kinds.filter { object[$0] != nil }
        guard present.count == 1, let kind = present.first else {
            let keys = object.keys.map { "\"\($0)\"" }.joined(separator: ", ")
            throw RecipeError(
                "\(path): a node needs exactly one of \(Self.kinds.joined(separator: ", ")); it has keys [\(keys)]")
        }
        switch kind {
        case "term": return try buildTerm(object, path: path)
        case "sum": return try buildSum(object, path: path)
        case "gate": return try buildGate(object, path: path)
        case "clamp": return try buildClamp(object, path: path)
        default: return try buildScale(object, path: path)
        }
    }

    /// The component name a node reports under: its `name`, else its term name, else its kind.
    static func name(of node: JSON) -> String {
        guard let o = node.objectValue else { return "term" }
        if let n = o["name"]?.stringValue { return n }
        if let t = o["term"]?.stringValue { return t }
        return kinds.first { o[$0] != nil } ?? "term"
    }

    private func checkKeys(_ object: JSONObject, allowed: Set<String>, path: String) throws {
        for key in object.keys where !allowed.contains(key) {
            throw RecipeError(
                "\(path): unknown key \"\(key)\" (value \(object[key]!.jsonText)); allowed: \(allowed.sorted().joined(separator: ", "))"
            )
        }
        if let n = object["name"], n.stringValue == nil {
            throw RecipeError("\(path).name: expected a string, got \(n.jsonText)")
        }
    }

    private func number(_ object: JSONObject, _ key: String, default d: Double, path: String) throws -> Double {
        guard let v = object[key] else { return d }
        guard let x = v.doubleValue, x.isFinite else {
            throw RecipeError("\(path).\(key): expected a number, got \(v.jsonText)")
        }
        return x
    }

    private func buildTerm(_ object: JSONObject, path: String) throws -> any Reward {
        try checkKeys(object, allowed: ["term", "params", "name", "weight"], path: path)
        guard let name = object["term"]?.stringValue else {
            throw RecipeError("\(path).term: expected a term name, got \(object["term"]!.jsonText)")
        }
        guard let entry = registry.entry(name) else {
            throw RecipeError(
                "\(path).term: unknown term \"\(name)\"; known terms: \(registry.names.joined(separator: ", "))")
        }
        var params = JSONObject()
        if let p = object["params"] {
            guard let o = p.objectValue else {
                throw RecipeError("\(path).params: expected an object, got \(p.jsonText)")
            }
            params = o
        }
        let reader = TermParameters(params, path: "\(path).params", registry: registry)
        let reward: any Reward
        do {
            reward = try entry.make(reader)
        } catch let e as RecipeError {
            throw e
        } catch {
            throw RecipeError("\(path): term \"\(name)\": \(error)")
        }
        try reader.rejectUnread()
        return reward
    }

    private func buildSum(_ object: JSONObject, path: String) throws -> any Reward {
        try checkKeys(object, allowed: ["sum", "name", "weight"], path: path)
        guard let children = object["sum"]?.arrayValue, !children.isEmpty else {
            throw RecipeError("\(path).sum: expected a non-empty list of nodes, got \(object["sum"]!.jsonText)")
        }
        var terms: [WeightedSum.Term] = []
        var seen: Set<String> = []
        for (i, child) in children.enumerated() {
            let childPath = "\(path).sum[\(i)]"
            let name = Self.name(of: child)
            guard seen.insert(name).inserted else {
                throw RecipeError(
                    "\(childPath): component name \"\(name)\" is used twice in this sum; give one a \"name\"")
            }
            let weight = try number(child.objectValue ?? JSONObject(), "weight", default: 1, path: childPath)
            terms.append(WeightedSum.Term(name, weight: weight, try build(child, path: childPath)))
        }
        return WeightedSum(terms)
    }

    private func buildGate(_ object: JSONObject, path: String) throws -> any Reward {
        try checkKeys(object, allowed: ["gate", "then", "threshold", "otherwise", "name", "weight"], path: path)
        guard let then = object["then"] else {
            throw RecipeError("\(path): a gate needs \"then\", the reward it lets through")
        }
        return Gate(
            try build(object["gate"]!, path: "\(path).gate"),
            threshold: try number(object, "threshold", default: 1, path: path),
            then: try build(then, path: "\(path).then"),
            otherwise: try number(object, "otherwise", default: 0, path: path))
    }

    private func buildClamp(_ object: JSONObject, path: String) throws -> any Reward {
        try checkKeys(object, allowed: ["clamp", "min", "max", "name", "weight"], path: path)
        let lo = try number(object, "min", default: -Double.greatestFiniteMagnitude, path: path)
        let hi = try number(object, "max", default: Double.greatestFiniteMagnitude, path: path)
        guard lo <= hi else { throw RecipeError("\(path): clamp min \(lo) is greater than max \(hi)") }
        return Clamp(try build(object["clamp"]!, path: "\(path).clamp"), min: lo, max: hi)
    }

    private func buildScale(_ object: JSONObject, path: String) throws -> any Reward {
        try checkKeys(object, allowed: ["scale", "factor", "offset", "name", "weight"], path: path)
        return Scale(
            try build(object["scale"]!, path: "\(path).scale"),
            factor: try number(object, "factor", default: 1, path: path),
            offset: try number(object, "offset", default: 0, path: path))
    }
}
