/// Errors of the Tensor module: bad user input such as a malformed optimizer state.
public struct TensorError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, naming the bad value.
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "Tensor: \(message)" }
}
