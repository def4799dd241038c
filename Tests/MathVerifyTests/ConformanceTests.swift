import Foundation
import MathVerify
import Testing

/// One comparison from math-verify's own test suite (`Conformance/math-verify-tests.jsonl`, see SOURCES.md there).
struct ConformanceCase: Sendable, CustomStringConvertible {
    let id: String
    let gold: String
    let prediction: String
    let expected: Bool
    let mode: String
    let precision: Int
    let strict: Bool
    let allowSetRelationComparison: Bool

    /// The settings the suite's test ran with, as one label ("latex p6", "both p5 non-strict", ...).
    var setting: String {
        var s = "\(mode) p\(precision)"
        if !strict { s += " non-strict" }
        if allowSetRelationComparison { s += " set-relation" }
        return s
    }

    /// math-verify's settings mapped onto MathVerify's options: the extraction targets onto `extractionMode`
    /// (a direct sympy comparison reads both strings whole, as `both` does a bare answer), `float_rounding` onto
    /// `roundedDecimalDigits`, `strict` and `allow_set_relation_comp` onto their namesakes. Plain-expression
    /// extraction reads a decimal comma (math-verify's expression regex takes `1000,99` as 1000.99).
    var options: MathVerify.Options {
        var o = MathVerify.Options()
        o.extractionMode = mode == "latex" ? .latex : mode == "expr" ? .expr : .both
        o.decimalComma = mode == "expr"
        o.roundedDecimalDigits = precision
        o.strict = strict
        o.allowSetRelationComparison = allowSetRelationComparison
        return o
    }

    var description: String { "\(id) [\(setting)]" }
}

enum Conformance {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Conformance")
    }

    static func cases() throws -> [ConformanceCase] {
        let data = try Data(contentsOf: directory.appendingPathComponent("math-verify-tests.jsonl"))
        return try data.split(separator: UInt8(ascii: "\n")).map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            return ConformanceCase(
                id: try #require(o["id"] as? String), gold: try #require(o["gold"] as? String),
                prediction: try #require(o["pred"] as? String), expected: try #require(o["expected"] as? Bool),
                mode: try #require(o["mode"] as? String), precision: try #require(o["precision"] as? Int),
                strict: try #require(o["strict"] as? Bool),
                allowSetRelationComparison: try #require(o["allow_set_relation_comp"] as? Bool))
        }
    }

    /// The listed disagreements: id → reason (`disagreements.txt`, `id<TAB>reason` per line, `#` comments).
    static func listedDisagreements() throws -> [String: String] {
        let text = try String(contentsOf: directory.appendingPathComponent("disagreements.txt"), encoding: .utf8)
        var listed: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: "\t", maxSplits: 1)
            listed[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return listed
    }
}

@Suite("math-verify conformance")
struct ConformanceTests {
    /// Every case of the shipped suite under its own settings: at least 98% agree, and the ones that do not are
    /// exactly the listed ones, each with a reason.
    @Test func agreesWithTheSuiteExceptListedCases() throws {
        let cases = try Conformance.cases()
        #expect(cases.count == 274)
        let listed = try Conformance.listedDisagreements()
        var agreeing = 0
        var perSetting: [String: (agree: Int, total: Int)] = [:]
        var unlisted: [String] = []
        var nowAgreeing: [String] = []
        for c in cases {
            let v = MathVerify.verify(gold: c.gold, prediction: c.prediction, options: c.options)
            let agrees = v.isEquivalent == c.expected
            perSetting[c.setting, default: (0, 0)].total += 1
            if agrees {
                agreeing += 1
                perSetting[c.setting]!.agree += 1
                if listed[c.id] != nil { nowAgreeing.append(c.id) }
            } else if listed[c.id] == nil {
                unlisted.append("\(c) expected \(c.expected): \(v)")
            }
        }
        let summary = perSetting.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.agree)/\($0.value.total)" }
        print("math-verify conformance: \(agreeing)/\(cases.count) agree; " + summary.joined(separator: "; "))
        #expect(unlisted.isEmpty, "disagreements not in disagreements.txt:\n\(unlisted.joined(separator: "\n"))")
        #expect(nowAgreeing.isEmpty, "listed in disagreements.txt but now agreeing: \(nowAgreeing)")
        #expect(listed.values.allSatisfy { !$0.isEmpty }, "every listed disagreement needs a reason")
        #expect(Set(listed.keys).isSubset(of: Set(cases.map(\.id))), "listed ids that are not in the suite")
        #expect(Double(agreeing) >= 0.98 * Double(cases.count), "\(agreeing)/\(cases.count) agree")
    }
}
