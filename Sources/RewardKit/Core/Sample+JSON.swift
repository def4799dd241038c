/// Reading a `Sample` from a JSON object as `reward check`, the service and datasets write it.
extension Sample {
    /// Keys read as the reference answer, first present wins: the TRL/verl aliases.
    public static let referenceKeys = ["answer", "ground_truth", "reward_model.ground_truth", "solution", "reference"]

    /// Builds a sample from one input object.
    ///
    /// - `completion`: a string, or an array of `{role, content}` messages (aliases `response`, `output`).
    /// - reference: the first of `referenceKeys` present and not empty (strings as they are; numbers and lists as
    ///   JSON text).
    /// - `prompt`: a string or messages (the last user message is used); optional; aliases `question` (GSM8K)
    ///   and `problem` (MATH).
    /// - `completion_token_ids`: optional array of integers.
    /// Throws `SampleError` naming the field and the value when a present field has the wrong type.
    public init(json object: JSONObject) throws(SampleError) {
        guard let rawCompletion = object["completion"] ?? object["response"] ?? object["output"] else {
            throw SampleError("missing field \"completion\" (a string or a list of {role, content} messages)")
        }
        let completion = try Self.readCompletion(rawCompletion, field: "completion")

        var prompt = ""
        if let p = object["prompt"] ?? object["question"] ?? object["problem"], !p.isNull {
            switch try Self.readCompletion(p, field: "prompt") {
            case .text(let s): prompt = s
            case .messages(let ms): prompt = (ms.last(where: { $0.role == "user" }) ?? ms.last)?.content ?? ""
            }
        }

        var reference: String?
        for key in Self.referenceKeys {
            // An empty string is no reference (two MATH train rows have `"answer": ""` beside a full solution).
            if let v = object.value(atPath: key), !v.isNull, v.stringValue?.isEmpty != true {
                reference = v.answerText
                break
            }
        }

        var language: String?
        if let l = object["language"], !l.isNull {
            guard let s = l.stringValue else {
                throw SampleError("field \"language\" must be a string, got \(l.jsonText)")
            }
            language = s
        }

        var tokenIDs: [Int]?
        if let t = object["completion_token_ids"], !t.isNull {
            guard let a = t.arrayValue else {
                throw SampleError(
                    "field \"completion_token_ids\" must be an array of integers, got \(t.kindDescription)")
            }
            var ids: [Int] = []
            ids.reserveCapacity(a.count)
            for (i, v) in a.enumerated() {
                guard let n = v.intValue else {
                    throw SampleError("field \"completion_token_ids\"[\(i)] must be an integer, got \(v.jsonText)")
                }
                ids.append(n)
            }
            tokenIDs = ids
        }

        let tests = object["tests"].flatMap { $0.isNull ? nil : $0 }
        self.init(
            id: object["id"], prompt: prompt, completion: completion, reference: reference, tests: tests,
            language: language, completionTokenIDs: tokenIDs, fields: object)
    }

    private static func readCompletion(_ value: JSON, field: String) throws(SampleError) -> Completion {
        switch value {
        case .string(let s):
            return .text(s)
        case .array(let items):
            var messages: [Message] = []
            for (i, item) in items.enumerated() {
                guard let o = item.objectValue else {
                    throw SampleError("field \"\(field)\"[\(i)] must be a {role, content} object, got \(item.jsonText)")
                }
                guard let content = o["content"]?.stringValue else {
                    throw SampleError(
                        "field \"\(field)\"[\(i)].content must be a string, got \(o["content"]?.jsonText ?? "nothing")")
                }
                messages.append(Message(role: o["role"]?.stringValue ?? "assistant", content: content))
            }
            return .messages(messages)
        default:
            throw SampleError(
                "field \"\(field)\" must be a string or a list of messages, got \(value.jsonText.prefix(80))")
        }
    }
}

/// Why an input object is not a valid sample.
public struct SampleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
