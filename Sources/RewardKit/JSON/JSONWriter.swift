/// Writes `JSON` as compact text: keys in their stored order, strings escaped per RFC 8259,
/// non-finite doubles (which JSON cannot hold) as `null`.
///
/// The text is built as UTF-8 bytes: strings are copied a run of bytes at a time, and only the bytes RFC 8259
/// requires escaping (`"`, `\`, controls below 0x20) are written one by one. A service answering batches of
/// samples spends most of its encoding time here, so no per-character `String` appends.
public enum JSONWriter {
    /// The compact text of `value`.
    public static func string(_ value: JSON) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// The compact text of `value` as UTF-8 bytes.
    public static func bytes(_ value: JSON) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, to: &out)
        return out
    }

    /// Appends the compact text of `value` to `out`.
    public static func write(_ value: JSON, to out: inout [UInt8]) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): writeNumber(d, to: &out)
        case .string(let s): writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(v, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in o.entries.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                writeString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                write(v, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Shortest text that reads back as the same double; integral values without a fraction.
    static func writeNumber(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else {
            out += "null".utf8
            return
        }
        if d == d.rounded(), abs(d) < 1e15 {
            out += String(Int64(d)).utf8
        } else {
            out += "\(d)".utf8
        }
    }

    static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out += UnsafeBufferPointer(rebasing: utf8[runStart..<i])
                runStart = i + 1
                out += escape(b).utf8
            }
            out += UnsafeBufferPointer(rebasing: utf8[runStart...])
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The escape sequence of one byte that RFC 8259 does not allow bare in a string.
    private static func escape(_ b: UInt8) -> String {
        switch b {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        default:
            let hex = String(b, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
