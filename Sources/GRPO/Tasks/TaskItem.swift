import RewardKit

/// One training or evaluation task: a prompt and what a completion is checked against.
///
/// Named `TaskItem` so that it does not shadow Swift's concurrency `Task`. A math task has an `answer` (checked by
/// the `math` recipe); a code task has `tests` in a CodeRewards form (`{"kind": "call", "fn": …, "cases": […]}`,
/// `{"kind": "assert", …}`) and a `language`. `solution` is a demonstration for supervised warm-up (`grpo sft`);
/// `flawedSolution`, from the generators only, is the same demonstration with one characteristic mistake, for
/// warm starts from a flawed teacher (`grpo sft --flawed-demos`).
public struct TaskItem: Sendable, Hashable {
    /// Stable identifier, unique within a task set (e.g. `arith-2-000017`, `gsm8k/train/12`).
    public var id: String
    /// The text the policy continues.
    public var prompt: String
    /// Reference answer of a math task.
    public var answer: String?
    /// Unit tests of a code task, in a form `CodeTests(json:)` reads.
    public var tests: JSON?
    /// Programming language of a code task (`python`, …); nil for math.
    public var language: String?
    /// A correct completion, used as the demonstration by supervised warm-up.
    public var solution: String?
    /// A demonstration with the mistake a weak teacher makes on this task (a wrong constant, a missing step); a
    /// recipe scores it 0 unless the mistake happens not to change the answer. Nil for loaded datasets.
    public var flawedSolution: String?

    public init(
        id: String, prompt: String, answer: String? = nil, tests: JSON? = nil, language: String? = nil,
        solution: String? = nil, flawedSolution: String? = nil
    ) {
        self.id = id
        self.prompt = prompt
        self.answer = answer
        self.tests = tests
        self.language = language
        self.solution = solution
        self.flawedSolution = flawedSolution
    }

    /// The sample a reward recipe scores for `completion` of this task.
    public func sample(completion: String, tokenIDs: [Int]? = nil) -> Sample {
        Sample(
            id: .string(id), prompt: prompt, completion: .text(completion), reference: answer, tests: tests,
            language: language, completionTokenIDs: tokenIDs)
    }

    /// One JSONL line: `{"id", "prompt", "answer"?, "tests"?, "language"?, "solution"?, "flawed_solution"?}` (the
    /// schema of `Datasets/README.md`; `reward check` reads the same names).
    public var json: JSON {
        var pairs: [(String, JSON)] = [("id", .string(id)), ("prompt", .string(prompt))]
        if let answer { pairs.append(("answer", .string(answer))) }
        if let tests { pairs.append(("tests", tests)) }
        if let language { pairs.append(("language", .string(language))) }
        if let solution { pairs.append(("solution", .string(solution))) }
        if let flawedSolution { pairs.append(("flawed_solution", .string(flawedSolution))) }
        return .object(JSONObject(pairs))
    }

    /// Reads a line written by `json`. Throws naming the missing or mistyped field.
    public init(json: JSON) throws(GRPOError) {
        guard let o = json.objectValue else {
            throw GRPOError("a task must be a JSON object, got \(json.kindDescription)")
        }
        guard let id = o["id"]?.stringValue else { throw GRPOError("task: \"id\" must be a string") }
        guard let prompt = o["prompt"]?.stringValue else { throw GRPOError("task \(id): \"prompt\" must be a string") }
        self.init(
            id: id, prompt: prompt, answer: o["answer"]?.stringValue, tests: o["tests"],
            language: o["language"]?.stringValue, solution: o["solution"]?.stringValue,
            flawedSolution: o["flawed_solution"]?.stringValue)
        if answer == nil && tests == nil { throw GRPOError("task \(id): needs an \"answer\" or \"tests\"") }
    }
}
