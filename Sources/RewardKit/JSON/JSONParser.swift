/// A strict JSON parser (RFC 8259) over UTF-8 bytes.
///
/// Errors name the problem and the byte offset. Nesting deeper than `Limits.maxDepth` is an error rather than a
/// stack overflow, so no input can crash the reader; `Limits.maxMembers` bounds the values one text may hold.
/// Parsing is linear in the text's size (objects index their keys once they grow, see `JSONObject`).
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted by default.
    public static let maxDepth = 512

    /// Bounds on one text; exceeding one is a `JSONParseError` whose `exceededLimit` names it.
    public struct Limits: Sendable, Equatable {
        /// The deepest nesting of arrays and objects.
        public var maxDepth: Int
        /// The most array elements and object members in the whole text (all levels together).
        public var maxMembers: Int
        public init(maxDepth: Int = JSONParser.maxDepth, maxMembers: Int = .max) {
            self.maxDepth = maxDepth
            self.maxMembers = maxMembers
        }
    }

    /// A limit of `Limits`.
    public enum Limit: String, Sendable, Equatable {
        case depth, members
    }

    /// Parses one complete JSON value; surrounding white space is allowed, anything else after it is not.
    public static func parse(_ text: String) throws(JSONParseError) -> JSON {
        var text = text
        let result: Result<JSON, JSONParseError> = text.withUTF8 { buf in
            do throws(JSONParseError) { return .success(try parse(bytes: buf)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses one complete JSON value from UTF-8 bytes, within `limits`.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>, limits: Limits = Limits()) throws(JSONParseError)
        -> JSON
    {
        var parser = JSONParser(bytes: bytes, limits: limits)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.pos < bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the JSON value")
        }
        return value
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: Limits
    private var pos = 0
    private var members = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Counts one more array element or object member; past `maxMembers` the parse stops.
    private mutating func countMember() throws(JSONParseError) {
        members += 1
        if members > limits.maxMembers {
            var e = error("more than \(limits.maxMembers) array elements and object members (the member limit)")
            e.exceededLimit = .members
            throw e
        }
    }

    private func depthError() -> JSONParseError {
        var e = error("nesting deeper than \(limits.maxDepth) (the depth limit)")
        e.exceededLimit = .depth
        return e
    }

    private func error(_ message: String) -> JSONParseError { JSONParseError(message: message, offset: pos) }

    private func describeCurrent() -> String {
        guard pos < bytes.count else { return "end of input" }
        let b = bytes[pos]
        if b >= 0x20 && b < 0x7f { return "character '\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x0a, 0x0d, 0x09: pos += 1
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSON {
        guard pos < bytes.count else { throw error("unexpected end of input, expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        guard pos + n <= bytes.count else { throw error("unexpected end of input in literal") }
        let w = word.utf8Start
        for i in 0..<n where bytes[pos + i] != w[i] {
            throw error("invalid literal, expected '\(word)'")
        }
        pos += n
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSON {
        if depth > limits.maxDepth { throw depthError() }
        pos += 1
        var members: [(key: String, value: JSON)] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            return .object(JSONObject())
        }
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()), expected a string key")
            }
            try countMember()
            let key = try parseString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()), expected ':' after key \"\(key)\"")
            }
            pos += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in an object") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if bytes[pos] == UInt8(ascii: "}") {
                pos += 1
                return .object(JSONObject(members: members))
            }
            throw error("unexpected \(describeCurrent()), expected ',' or '}' in an object")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSON {
        if depth > limits.maxDepth { throw depthError() }
        pos += 1
        var array: [JSON] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            try countMember()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input in an array") }
            if bytes[pos] == UInt8(ascii: ",") {
                pos += 1
                continue
            }
            if bytes[pos] == UInt8(ascii: "]") {
                pos += 1
                return .array(array)
            }
            throw error("unexpected \(describeCurrent()), expected ',' or ']' in an array")
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        pos += 1  // opening quote
        let start = pos
        // Fast path: no escapes.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let s = try makeString(UnsafeBufferPointer(rebasing: bytes[start..<pos]), at: start)
                pos += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) in a string") }
            pos += 1
        }
        var out: [UInt8] = Array(bytes[start..<pos])
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return try out.withUnsafeBufferPointer { buf throws(JSONParseError) in try makeString(buf, at: start) }
            }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16)) in a string") }
            if b != UInt8(ascii: "\\") {
                // A run of plain bytes is copied at once (escaped texts such as GSM8K solutions are mostly plain).
                let runStart = pos
                pos += 1
                while pos < bytes.count, bytes[pos] >= 0x20, bytes[pos] != UInt8(ascii: "\""),
                    bytes[pos] != UInt8(ascii: "\\")
                { pos += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<pos]))
                continue
            }
            pos += 1
            guard pos < bytes.count else { break }
            let e = bytes[pos]
            pos += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5c)
            case UInt8(ascii: "/"): out.append(0x2f)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u")
                    else { throw error("lone high surrogate \\u\(String(scalar, radix: 16)) in a string") }
                    pos += 2
                    let low = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("high surrogate not followed by a low surrogate in a string")
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("lone low surrogate \\u\(String(scalar, radix: 16)) in a string")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar)!)).utf8))
            default:
                pos -= 1
                throw error("invalid escape \\\(describeCurrent()) in a string")
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("unexpected end of input in a \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit \(describeCurrent()) in a \\u escape")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    private func makeString(_ buf: UnsafeBufferPointer<UInt8>, at offset: Int) throws(JSONParseError) -> String {
        guard let s = String(validating: buf, as: UTF8.self) else {
            throw JSONParseError(message: "invalid UTF-8 in a string", offset: offset)
        }
        return s
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSON {
        let start = pos
        var isInteger = true
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < bytes.count, isDigit(bytes[pos]) else { throw error("invalid number: expected a digit") }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count && isDigit(bytes[pos]) { throw error("invalid number: leading zero") }
        } else {
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                throw error("invalid number: expected a digit after '.'")
            }
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            isInteger = false
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            guard pos < bytes.count, isDigit(bytes[pos]) else {
                throw error("invalid number: expected a digit in the exponent")
            }
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
        if isInteger, let i = Int64(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else {
            throw JSONParseError(message: "number \(text) is out of range", offset: start)
        }
        return .double(d)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}

/// Why a text is not valid JSON, and where (a byte offset into the text).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    /// Set when the text broke a `JSONParser.Limits` bound rather than the grammar.
    public var exceededLimit: JSONParser.Limit?
    public init(message: String, offset: Int, exceededLimit: JSONParser.Limit? = nil) {
        self.message = message
        self.offset = offset
        self.exceededLimit = exceededLimit
    }
    public var description: String { "\(message) at byte \(offset)" }
}
