/// How `LlamaModel.generate` picks tokens and when it stops.
public struct SamplingConfig: Sendable, Codable, Equatable {
    /// Softmax temperature; 0 means greedy (argmax).
    public var temperature: Float = 1
    /// Keep only the k most likely tokens (0 = off).
    public var topK: Int = 0
    /// Keep the smallest set of most likely tokens whose probability reaches p (1 = off), after top-k.
    public var topP: Float = 1
    /// Tokens to generate at most per sequence.
    public var maxTokens: Int = 64
    /// Generation of a sequence ends after any of these ids (which is kept in the output).
    public var stopTokens: [Int32] = []
    /// Generation ends once the decoded completion contains any of these (kept; text cut right after it).
    public var stopStrings: [String] = []

    public init(
        temperature: Float = 1, topK: Int = 0, topP: Float = 1, maxTokens: Int = 64,
        stopTokens: [Int32] = [], stopStrings: [String] = []
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.maxTokens = maxTokens
        self.stopTokens = stopTokens
        self.stopStrings = stopStrings
    }

    /// Throws naming the first bad setting.
    public func validate() throws {
        guard temperature >= 0, temperature.isFinite else {
            throw TinyLMError("temperature must be ≥ 0, got \(temperature)")
        }
        guard topK >= 0 else { throw TinyLMError("top-k must be ≥ 0 (0 = off), got \(topK)") }
        guard topP > 0, topP <= 1 else { throw TinyLMError("top-p must be in (0, 1], got \(topP)") }
        guard maxTokens >= 1 else { throw TinyLMError("max tokens must be ≥ 1, got \(maxTokens)") }
        if stopStrings.contains("") { throw TinyLMError("stop strings must not be empty") }
    }
}

/// Why a sequence stopped.
public enum FinishReason: String, Sendable, Codable {
    /// A stop token or stop string.
    case stop
    /// `maxTokens` reached.
    case length
}

/// One generated completion.
public struct Generation: Sendable, Equatable {
    /// The generated ids (prompt excluded), ending with the stop token if one fired.
    public var tokens: [Int32]
    /// log p(token | prefix) of each generated token under softmax(logits / temperature) (temperature 1 when
    /// greedy), before top-k and top-p: what `tokenLogProbs(_:temperature:)` recomputes for the policy loss.
    public var logprobs: [Float]
    /// Decoded completion (cut after a stop string), when a tokenizer was given.
    public var text: String?
    public var finishReason: FinishReason
}
