import RewardKit

/// The tagged JSON the Python grader reads for `call` test values: plain JSON for None/bool/int/str/list and
/// objects with string keys (dicts); one-key objects for the rest: `{"__tuple__": […]}`, `{"__set__": […]}`,
/// `{"__frozenset__": […]}`, `{"__dict__": [[k, v], …]}` (any keys), `{"__bytes__": hex}`,
/// `{"__complex__": [re, im]}`, `{"__float__": "3.0" | "inf" | "nan"}`, `{"__int__": "…"}` (any size, decimal or
/// 0x hex), `{"__str__": [code points]}` (lone surrogates). A real dict whose only key is one of these tags is
/// written with `__dict__`.
enum PlainData {
    /// A value as the grader reads it: every JSON double is sent as a float (JSON text drops the `.0` of an
    /// integral double, which would make `3.0` arrive as the integer 3).
    static func encode(_ value: JSON) -> JSON {
        switch value {
        case .array(let items): return .array(items.map(encode))
        case .object(let o):
            if o.count == 1, let (key, inner) = o.entries.first.map({ ($0.key, $0.value) }), key.hasPrefix("__"),
                key.hasSuffix("__")
            {
                return key == "__float__" ? value : .object(JSONObject([(key, encode(inner))]))
            }
            return .object(JSONObject(o.entries.map { ($0.key, encode($0.value)) }))
        case .double(let d): return ["__float__": .string("\(d)")]
        default: return value
        }
    }
}
