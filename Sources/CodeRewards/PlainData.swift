import RewardKit

/// The tagged JSON both Python harness scripts speak: plain JSON for None/bool/int/float/str/list, and
/// one-key objects for the rest (`{"__tuple__": […]}`, `{"__dict__": [[k, v], …]}`, `{"__set__": […]}`,
/// `{"__bytes__": hex}`, `{"__float__": "inf"}`, `{"__int__": "…"}` for integers beyond 2^53).
enum PlainData {
    /// A test input as the candidate's driver reads it (JSON objects become dicts).
    static func encode(_ value: JSON) -> JSON {
        switch value {
        case .array(let items): return .array(items.map(encode))
        case .object(let o):
            return ["__dict__": .array(o.entries.map { .array([.string($0.key), encode($0.value)]) })]
        default: return value
        }
    }

    /// An answer as JSON for comparison with an expected output: tuples are lists, dicts with string keys are
    /// objects, sets are lists in a canonical order. Nil when the answer has no JSON form (non-string keys).
    static func decode(_ value: JSON) -> JSON? {
        switch value {
        case .array(let items):
            let decoded = items.compactMap(decode)
            return decoded.count == items.count ? .array(decoded) : nil
        case .object(let o):
            guard o.count == 1, let (tag, inner) = o.entries.first.map({ ($0.key, $0.value) }) else { return nil }
            switch tag {
            case "__tuple__": return decode(inner)
            case "__set__", "__frozenset__":
                guard case .array(let items)? = decode(inner) else { return nil }
                return .array(items.sorted { $0.jsonText < $1.jsonText })
            case "__dict__":
                guard let pairs = inner.arrayValue else { return nil }
                var out: [(String, JSON)] = []
                for pair in pairs {
                    guard let kv = pair.arrayValue, kv.count == 2, let k = kv[0].stringValue, let v = decode(kv[1])
                    else { return nil }
                    out.append((k, v))
                }
                return .object(JSONObject(out))
            case "__float__":
                return inner.stringValue.flatMap(Double.init).map { .double($0) }
            case "__int__":
                return inner.stringValue.flatMap { Int64($0) }.map { .int($0) } ?? .string(inner.stringValue ?? "")
            default: return nil
            }
        default: return value
        }
    }

    /// Equality of expected and actual JSON: numbers compare by value (1 == 1.0), within `tolerance`
    /// (absolute or relative) when it is positive; objects compare by key set.
    static func equal(_ a: JSON, _ b: JSON, tolerance: Double) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1, tolerance: tolerance) }
        case (.object(let x), .object(let y)):
            guard Set(x.keys) == Set(y.keys), x.count == y.count else { return false }
            return x.entries.allSatisfy { e in y[e.key].map { equal(e.value, $0, tolerance: tolerance) } ?? false }
        case (.int(let x), .int(let y)): return x == y
        case (.bool, _), (_, .bool): return a == b
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return a == b }
            if x == y { return true }
            return tolerance > 0 && abs(x - y) <= tolerance * max(1, abs(y))
        }
    }
}
