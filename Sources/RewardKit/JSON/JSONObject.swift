/// A JSON object whose keys keep the order they were read or set in.
///
/// Small objects (sample records: a handful of keys) are scanned, which beats hashing; once an object holds more
/// than `indexThreshold` keys it also keeps a key → position index, so reading, setting and building an object of
/// n keys is linear in n (a 1,000,000-key object parses in linear time, not quadratic).
/// Setting an existing key replaces its value in place; a new key goes at the end.
public struct JSONObject: Sendable, Hashable {
    public private(set) var entries: [(key: String, value: JSON)]
    /// Key → position in `entries`; nil while the object is small.
    private var index: [String: Int]?
    /// Above this many keys, lookups go through the index.
    static let indexThreshold = 16

    public init() { entries = [] }

    public init(_ pairs: [(String, JSON)]) {
        entries = []
        entries.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// An object from parsed members in their order, built in one pass with its index sized up front. A repeated
    /// key keeps its first position and takes its last value, as setting it again would.
    init(members: [(key: String, value: JSON)]) {
        entries = []
        guard members.count > Self.indexThreshold else {
            for (k, v) in members { self[k] = v }
            return
        }
        var map = [String: Int](minimumCapacity: members.count)
        for (i, m) in members.enumerated() where map.updateValue(i, forKey: m.key) != nil {
            for (k, v) in members { self[k] = v }  // a repeated key: the rare path, still linear
            return
        }
        entries = members
        index = map
    }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    private func position(of key: String) -> Int? {
        if let index { return index[key] }
        return entries.firstIndex(where: { $0.key == key })
    }

    public subscript(key: String) -> JSON? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let i = position(of: key) {
                if let newValue {
                    entries[i].value = newValue
                } else {
                    entries.remove(at: i)
                    if index != nil { reindex() }
                }
            } else if let newValue {
                entries.append((key, newValue))
                if index != nil {
                    index![key] = entries.count - 1
                } else if entries.count > Self.indexThreshold {
                    reindex()
                }
            }
        }
    }

    private mutating func reindex() {
        guard entries.count > Self.indexThreshold else {
            index = nil
            return
        }
        var map = [String: Int](minimumCapacity: entries.count)
        for (i, e) in entries.enumerated() { map[e.key] = i }
        index = map
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
