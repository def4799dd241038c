/// Errors of the TinyLM module (bad configs, checkpoints, token ids, sampling settings), naming the bad value.
public struct TinyLMError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "TinyLM: \(message)" }
}
