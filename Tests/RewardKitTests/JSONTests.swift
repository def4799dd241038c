import Testing

@testable import RewardKit

@Suite struct JSONTests {
    @Test func roundTripKeepsKeyOrderAndIntegers() throws {
        let text = #"{"z":1,"a":[true,false,null],"m":{"y":"x\n\"q\"","b":-9007199254740993},"f":0.5}"#
        let v = try JSONParser.parse(text)
        #expect(v.jsonText == text)
        #expect(v.objectValue?.keys == ["z", "a", "m", "f"])
        #expect(v.objectValue?.value(atPath: "m.b") == .int(-9_007_199_254_740_993))
    }

    @Test func unicodeEscapesAndSurrogates() throws {
        let v = try JSONParser.parse(#""\u00e9\ud83d\ude00\u2212""#)
        #expect(v == .string("é😀−"))
        #expect(JSONWriter.string(.string("a\u{1}b")) == #""a\u0001b""#)
    }

    struct EscapeCase: Sendable, CustomTestStringConvertible {
        var id: String
        var value: String
        var text: String
        var testDescription: String { id }
    }

    /// Plain runs between escapes are copied in blocks by the writer and the parser; every boundary must hold.
    static let escapes: [EscapeCase] = [
        .init(id: "plain", value: "Natalia sold 48 clips", text: #""Natalia sold 48 clips""#),
        .init(id: "escape-first", value: "\nabc", text: #""\nabc""#),
        .init(id: "escape-last", value: "abc\n", text: #""abc\n""#),
        .init(id: "runs-between", value: "a\nb\"c\\d\te", text: #""a\nb\"c\\d\te""#),
        .init(id: "adjacent-escapes", value: "\n\n\"\"", text: #""\n\n\"\"""#),
        .init(id: "controls", value: "x\u{0}y\u{1f}z\u{8}\u{c}", text: #""x\u0000y\u001fz\b\f""#),
        .init(id: "multibyte", value: "é😀−\n√2 #### 72", text: "\"é😀−\\n√2 #### 72\""),
        .init(id: "empty", value: "", text: #""""#),
    ]

    @Test(arguments: escapes) func stringsEscapeAndReadBack(_ c: EscapeCase) throws {
        #expect(JSONWriter.string(.string(c.value)) == c.text)
        #expect(JSONWriter.bytes(.string(c.value)) == Array(c.text.utf8))
        #expect(try JSONParser.parse(c.text) == .string(c.value))
        // A long mix exercises runs longer than one read.
        let long = String(repeating: c.value + " plain text ", count: 200)
        #expect(try JSONParser.parse(JSONWriter.string(.string(long))) == .string(long))
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var id: String
        var text: String
        var message: String
        var testDescription: String { id }
    }

    static let bad: [BadCase] = [
        .init(id: "empty", text: "", message: "unexpected end of input"),
        .init(id: "trailing", text: "{} x", message: "after the JSON value"),
        .init(id: "single-quote", text: "{'a':1}", message: "expected a string key"),
        .init(id: "missing-colon", text: #"{"a" 1}"#, message: "expected ':' after key \"a\""),
        .init(id: "trailing-comma", text: "[1,]", message: "expected a value"),
        .init(id: "leading-zero", text: "01", message: "leading zero"),
        .init(id: "bad-escape", text: #""\x""#, message: "invalid escape"),
        .init(id: "lone-surrogate", text: #""\ud800""#, message: "lone high surrogate"),
        .init(id: "control-char", text: "\"a\u{1}\"", message: "control character"),
        .init(id: "unterminated", text: #""abc"#, message: "unterminated string"),
        .init(id: "huge-number", text: "1e999", message: "out of range"),
        .init(id: "nan", text: "NaN", message: "expected a value"),
        .init(
            id: "deep", text: String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
            message: "nesting deeper than 512"),
    ]

    @Test(arguments: bad) func rejects(_ c: BadCase) {
        do {
            _ = try JSONParser.parse(c.text)
            Issue.record("accepted \(c.text.prefix(20))")
        } catch {
            #expect(error.description.contains(c.message), "\(error.description)")
        }
    }

    @Test func invalidUTF8IsAnError() {
        let bytes: [UInt8] = [0x22, 0xff, 0xfe, 0x22]
        #expect(throws: JSONParseError.self) {
            try bytes.withUnsafeBufferPointer { try JSONParser.parse(bytes: $0) }
        }
    }

    @Test func doublesWriteShortestRoundTrip() {
        #expect(JSON.double(0.1).jsonText == "0.1")
        #expect(JSON.double(2).jsonText == "2")
        #expect(JSON.double(.nan).jsonText == "null")
        #expect(Double(JSON.double(1.0 / 3).jsonText) == 1.0 / 3)
    }
}
