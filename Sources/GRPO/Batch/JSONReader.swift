import RewardKit

/// Reads typed fields out of a JSON object, with errors that name the field path and the value found.
struct JSONReader {
    var object: JSONObject
    /// The path of `object` for messages ("config", or "" for the top level).
    var path: String

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Throws for keys outside `known`, listing the known ones.
    func rejectUnknownKeys(_ known: [String]) throws(GRPOError) {
        for key in object.keys where !known.contains(key) {
            throw GRPOError("unknown field \"\(name(key))\"; known fields: \(known.joined(separator: ", "))")
        }
    }

    /// nil when absent or null.
    func value(_ key: String) -> JSON? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    func double(_ key: String) throws(GRPOError) -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue else { throw GRPOError("\(name(key)) must be a number, got \(v.jsonText)") }
        return d
    }

    func int(_ key: String) throws(GRPOError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw GRPOError("\(name(key)) must be an integer, got \(v.jsonText)") }
        return i
    }

    func bool(_ key: String) throws(GRPOError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw GRPOError("\(name(key)) must be true or false, got \(v.jsonText)") }
        return b
    }

    func string(_ key: String) throws(GRPOError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw GRPOError("\(name(key)) must be a string, got \(v.jsonText)") }
        return s
    }

    /// An array of numbers (nil when absent or null).
    func numbers(_ key: String) throws(GRPOError) -> [Double]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else {
            throw GRPOError("\(name(key)) must be an array of numbers, got \(v.jsonText)")
        }
        var out: [Double] = []
        for (i, x) in a.enumerated() {
            guard let d = x.doubleValue else {
                throw GRPOError("\(name(key))[\(i)] must be a number, got \(x.jsonText)")
            }
            out.append(d)
        }
        return out
    }

    /// A string that must be one of `E`'s raw values (or an alias).
    func choice<E: RawRepresentable & CaseIterable>(
        _ key: String, _ type: E.Type, aliases: [String: E] = [:]
    ) throws(GRPOError) -> E? where E.RawValue == String {
        guard let s = try string(key) else { return nil }
        if let e = E(rawValue: s) ?? aliases[s] { return e }
        let allowed = E.allCases.map(\.rawValue) + aliases.keys.sorted()
        throw GRPOError("\(name(key)) must be one of \(allowed.joined(separator: ", ")), got \"\(s)\"")
    }

    /// rows × tokens of numbers (booleans read as 0 / 1 when `booleans`).
    func matrix(_ key: String, booleans: Bool = false) throws(GRPOError) -> [[Double]]? {
        guard let v = value(key) else { return nil }
        return try Self.matrix(v, name: name(key), booleans: booleans)
    }

    /// `v` as rows × columns of numbers; `name` is its path in messages.
    static func matrix(_ v: JSON, name: String, booleans: Bool = false) throws(GRPOError) -> [[Double]] {
        guard let rows = v.arrayValue else {
            throw GRPOError("\(name) must be an array of rows, got \(v.kindDescription)")
        }
        var out: [[Double]] = []
        for (i, row) in rows.enumerated() {
            guard let cells = row.arrayValue else {
                throw GRPOError("\(name)[\(i)] must be an array of numbers, got \(row.jsonText)")
            }
            var r: [Double] = []
            for (t, c) in cells.enumerated() {
                if booleans, let b = c.boolValue {
                    r.append(b ? 1 : 0)
                } else if let d = c.doubleValue {
                    r.append(d)
                } else {
                    throw GRPOError("\(name)[\(i)][\(t)] must be a number, got \(c.jsonText)")
                }
            }
            out.append(r)
        }
        return out
    }
}
