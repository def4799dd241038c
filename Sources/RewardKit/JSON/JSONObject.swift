/// A JSON object whose keys keep the order they were read or set in.
///
/// Lookups are linear: sample objects have a handful of keys, where a scan beats hashing.
/// Setting an existing key replaces its value in place; a new key goes at the end.
public struct JSONObject: Sendable, Hashable {
    public private(set) var entries: [(key: String, value: JSON)]

    public init() { entries = [] }

    public init(_ pairs: [(String, JSON)]) {
        entries = []
        for (k, v) in pairs { self[k] = v }
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    public subscript(key: String) -> JSON? {
        get { entries.first(where: { $0.key == key })?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// The value at a dotted path such as `reward_model.ground_truth`.
    public func value(atPath path: String) -> JSON? {
        var current: JSON = .object(self)
        for part in path.split(separator: ".") {
            guard let next = current.objectValue?[String(part)] else { return nil }
            current = next
        }
        return current
    }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.entries.count == b.entries.count
            && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (k, v) in entries {
            hasher.combine(k)
            hasher.combine(v)
        }
    }
}
