import RewardKit

/// One preference: the completion `chosen` is better than `rejected` for `prompt` (by `margin`, when given).
public struct PreferencePair: Sendable, Hashable {
    public var prompt: String
    public var chosen: String
    public var rejected: String
    /// Llama 2's margin m of the loss −log σ(r_c − r_r − m); nil when the data gives none.
    public var margin: Double?

    public init(prompt: String, chosen: String, rejected: String, margin: Double? = nil) {
        self.prompt = prompt
        self.chosen = chosen
        self.rejected = rejected
        self.margin = margin
    }

    /// `{"prompt", "chosen", "rejected"}` (plus `"margin"` when set), the file `grpo tasks --pairs` writes.
    public var json: JSON {
        var pairs: [(String, JSON)] = [
            ("prompt", .string(prompt)), ("chosen", .string(chosen)), ("rejected", .string(rejected)),
        ]
        if let margin { pairs.append(("margin", .double(margin))) }
        return .object(JSONObject(pairs))
    }
}

/// One outcome-labelled completion: `label` is a verifier's verdict (0/1) or a score.
public struct OutcomeExample: Sendable, Hashable {
    public var prompt: String
    public var completion: String
    public var label: Double

    public init(prompt: String, completion: String, label: Double) {
        self.prompt = prompt
        self.completion = completion
        self.label = label
    }
}

/// What `grpo rm train` learns from: preference pairs or outcome-labelled completions.
public enum RewardData: Sendable {
    case pairs([PreferencePair])
    case outcomes([OutcomeExample])

    /// How many records were read.
    public var count: Int {
        switch self {
        case .pairs(let p): p.count
        case .outcomes(let o): o.count
        }
    }

    /// Reads JSON lines in either form; every record must have the same form.
    ///
    /// - Preferences, as TRL's `RewardTrainer` reads them: `prompt` + `chosen` + `rejected` (explicit prompt), or
    ///   `chosen` + `rejected` alone (implicit prompt: the prompt is part of each text). Each field is a string or a
    ///   list of chat messages `{"role", "content"}`; messages become text as in `RewardData.text(_:)`. An optional
    ///   numeric `margin` is Llama 2's margin.
    /// - Outcomes: `prompt` + `completion` + `label` (0/1 or a score); `reward` stands in for `label`, so a GRPO
    ///   run's `rollouts.jsonl` reads directly. Records whose label is null (unscorable rollouts) are skipped and
    ///   counted in `skipped`.
    /// Throws naming the record (1-based) and the field that is missing or mistyped.
    public static func parse(_ records: [JSON], source: String) throws -> (data: RewardData, skipped: Int) {
        guard let first = records.first?.objectValue else {
            throw RewardModelError("\(source): no records (or the first line is not a JSON object)")
        }
        let isPairs = first["chosen"] != nil || first["rejected"] != nil
        var pairs: [PreferencePair] = []
        var outcomes: [OutcomeExample] = []
        var skipped = 0
        for (i, record) in records.enumerated() {
            let at = "\(source): record \(i + 1)"
            guard let o = record.objectValue else { throw RewardModelError("\(at): expected a JSON object") }
            func field(_ key: String) throws -> String {
                guard let v = o[key] else { throw RewardModelError("\(at): missing \"\(key)\"") }
                guard let text = text(v) else {
                    throw RewardModelError(
                        "\(at): \"\(key)\" must be a string or a list of messages, got \(v.jsonText.prefix(60))")
                }
                return text
            }
            let prompt = o["prompt"] == nil ? "" : try field("prompt")
            if isPairs {
                var margin: Double?
                if let m = o["margin"], !m.isNull {
                    guard let x = m.doubleValue, x.isFinite else {
                        throw RewardModelError("\(at): \"margin\" must be a number, got \(m.jsonText)")
                    }
                    margin = x
                }
                pairs.append(
                    PreferencePair(
                        prompt: prompt, chosen: try field("chosen"), rejected: try field("rejected"), margin: margin))
            } else {
                guard let label = o["label"] ?? o["reward"] else {
                    throw RewardModelError("\(at): needs \"chosen\"/\"rejected\" or \"completion\" with \"label\"")
                }
                if label.isNull {
                    skipped += 1
                    continue
                }
                let value = label.boolValue.map { $0 ? 1.0 : 0.0 } ?? label.doubleValue
                guard let value, value.isFinite else {
                    throw RewardModelError("\(at): \"label\" must be a number or true/false, got \(label.jsonText)")
                }
                outcomes.append(OutcomeExample(prompt: prompt, completion: try field("completion"), label: value))
            }
        }
        return (isPairs ? .pairs(pairs) : .outcomes(outcomes), skipped)
    }

    /// Reads a JSONL file (a path, `-`, or `.gz`).
    public static func read(_ path: String) throws -> (data: RewardData, skipped: Int) {
        try parse(try JSONLinesFile.read(path), source: path)
    }

    /// A field as text: a string as is; a list of chat messages as their contents joined by newlines (no chat
    /// template: the byte-level models here have none). Nil for anything else.
    public static func text(_ value: JSON) -> String? {
        if let s = value.stringValue { return s }
        guard let list = value.arrayValue else { return nil }
        var parts: [String] = []
        for m in list {
            guard let content = m.objectValue?["content"]?.stringValue else { return nil }
            parts.append(content)
        }
        return parts.joined(separator: "\n")
    }
}

extension RewardData {
    /// The pairs an evaluation ranks: the pairs themselves, or those implied by outcome labels.
    public static func evaluationPairs(_ data: RewardData, limit: Int = .max) -> [PreferencePair] {
        switch data {
        case .pairs(let p): Array(p.prefix(limit))
        case .outcomes(let o): OutcomeExample.pairs(o, limit: limit)
        }
    }

    /// Whether both sequences of a pair fit the model.
    public static func fits(_ pair: PreferencePair, _ model: RewardModel) -> Bool {
        [pair.chosen, pair.rejected].allSatisfy {
            model.encode(prompt: pair.prompt, completion: $0).count <= model.maxLength
        }
    }
}
