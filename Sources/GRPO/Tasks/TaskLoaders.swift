import Foundation
import RewardKit

/// Tasks from public benchmarks, one JSON record each, as published (see Datasets/README.md).
/// Reading files (and gunzipping) is the caller's job; these map records to `TaskItem`s.
public enum TaskFormat: String, Sendable, CaseIterable {
    /// `{"question", "answer"}`; the answer's last line is `#### n` (commas removed, as GSM8K's own grader does).
    case gsm8k
    /// `{"problem", "solution", "answer"?}`; without `answer`, the content of the last `\boxed{…}`.
    case math
    /// `{"task_id", "prompt", "canonical_solution", "test", "entry_point"}`; graded by `check(entry_point)`.
    case humaneval
    /// `{"task_id", "text" | "prompt", "code", "test_list", "test_setup_code"?, "test_imports"?}`.
    case mbpp
    /// Arbiter's own task lines (`TaskItem.json`).
    case arbiter

    /// The task of record number `index` (0-based, used in ids when the record has none).
    public func task(_ record: JSON, index: Int) throws(GRPOError) -> TaskItem {
        guard let o = record.objectValue else {
            throw GRPOError("\(rawValue) record \(index): expected a JSON object, got \(record.kindDescription)")
        }
        func field(_ key: String) throws(GRPOError) -> String {
            guard let s = o[key]?.stringValue else {
                throw GRPOError("\(rawValue) record \(index): \"\(key)\" must be a string")
            }
            return s
        }
        switch self {
        case .arbiter:
            return try TaskItem(json: record)
        case .gsm8k:
            let answer = try field("answer")
            guard let marker = answer.range(of: "#### ", options: .backwards) else {
                throw GRPOError("gsm8k record \(index): the answer has no \"#### \" line")
            }
            let gold = answer[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
                .replacingOccurrences(of: ",", with: "")
            let reasoning = answer[..<marker.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            return TaskItem(
                id: "gsm8k/\(index)", prompt: try field("question") + "\n", answer: gold,
                solution: reasoning + "\nThe answer is \(gold).")
        case .math:
            let solution = try field("solution")
            guard let answer = o["answer"]?.stringValue ?? Self.lastBoxed(solution) else {
                throw GRPOError("math record \(index): no \"answer\" and no \\boxed{} in the solution")
            }
            return TaskItem(
                id: o["unique_id"]?.stringValue ?? "math/\(index)", prompt: try field("problem") + "\n",
                answer: answer, solution: solution)
        case .humaneval:
            let prompt = try field("prompt")
            let tests: JSON = [
                "kind": "assert", "code": .string(try field("test")), "entry_point": .string(try field("entry_point")),
                "prompt": .string(prompt),
            ]
            return TaskItem(
                id: try field("task_id"), prompt: prompt, tests: tests, language: "python",
                solution: prompt + (try field("canonical_solution")))
        case .mbpp:
            guard let list = o["test_list"]?.arrayValue?.compactMap(\.stringValue), !list.isEmpty else {
                throw GRPOError("mbpp record \(index): \"test_list\" must be a non-empty list of strings")
            }
            let imports = (o["test_imports"]?.arrayValue ?? []).compactMap(\.stringValue)
            var tests: [(String, JSON)] = [
                ("kind", "assert"), ("code", .string((imports + list).joined(separator: "\n"))),
            ]
            if let setup = o["test_setup_code"]?.stringValue, !setup.isEmpty { tests.append(("setup", .string(setup))) }
            let text: String
            if let t = o["text"]?.stringValue { text = t } else { text = try field("prompt") }
            let id = o["task_id"]?.intValue.map { "mbpp/\($0)" } ?? "mbpp/\(index)"
            return TaskItem(
                id: id, prompt: text + "\n" + list[0] + "\n", tests: .object(JSONObject(tests)), language: "python",
                solution: try field("code").replacingOccurrences(of: "\r\n", with: "\n"))
        }
    }

    /// The content of the last `\boxed{…}` (braces balanced), as MATH's `last_boxed_only_string` + `remove_boxed`.
    static func lastBoxed(_ s: String) -> String? {
        guard let start = s.range(of: "\\boxed{", options: .backwards) else { return nil }
        var depth = 1
        var i = start.upperBound
        while i < s.endIndex {
            if s[i] == "{" { depth += 1 }
            if s[i] == "}" {
                depth -= 1
                if depth == 0 { return String(s[start.upperBound..<i]) }
            }
            i = s.index(after: i)
        }
        return nil
    }
}
