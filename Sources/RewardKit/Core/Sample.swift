/// One completion to be scored, with what it is scored against.
///
/// Fields that only some rewards read (HumanEval's `entry_point`, MBPP's `test_list`, a dataset's own keys) stay
/// in `fields`, the whole input object, which `reward check` also passes through to its output.
public struct Sample: Sendable, Hashable {
    /// The caller's identifier for the sample, passed through untouched.
    public var id: JSON?
    /// The prompt as text (chat prompts are flattened to their last user message).
    public var prompt: String
    /// What the policy produced.
    public var completion: Completion
    /// The reference answer, when the task has one.
    public var reference: String?
    /// Unit tests for code tasks (see CodeRewards for the accepted forms).
    public var tests: JSON?
    /// The programming language of a code task (`python`, `c`, `cpp`, `javascript`, `bash`).
    public var language: String?
    /// The completion's token ids, when the caller has them (used by token-level repetition and overlong terms).
    public var completionTokenIDs: [Int]?
    /// Every field of the input object, in order.
    public var fields: JSONObject

    public init(
        id: JSON? = nil, prompt: String = "", completion: Completion, reference: String? = nil, tests: JSON? = nil,
        language: String? = nil, completionTokenIDs: [Int]? = nil, fields: JSONObject = JSONObject()
    ) {
        self.id = id
        self.prompt = prompt
        self.completion = completion
        self.reference = reference
        self.tests = tests
        self.language = language
        self.completionTokenIDs = completionTokenIDs
        self.fields = fields
    }

    /// The text a reward reads: the completion text, or the content of the last assistant message.
    public var completionText: String { completion.text }
}

/// A completion as plain text or as chat messages.
public enum Completion: Sendable, Hashable {
    case text(String)
    case messages([Message])

    /// The text to score. For chat messages, the content of the last `assistant` message (or of the last
    /// message when none is marked `assistant`). open-r1's rewards read `completion[0]["content"]`; with
    /// the single-message completions TRL produces the two agree.
    public var text: String {
        switch self {
        case .text(let s): return s
        case .messages(let ms): return (ms.last(where: { $0.role == "assistant" }) ?? ms.last)?.content ?? ""
        }
    }
}

/// One chat message.
public struct Message: Sendable, Hashable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}
