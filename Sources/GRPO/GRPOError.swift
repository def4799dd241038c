/// Why a GRPO computation cannot go ahead. The message names the field (with its index) and the bad value.
public struct GRPOError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
