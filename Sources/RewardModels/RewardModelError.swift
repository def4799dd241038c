/// Errors of the RewardModels module (bad checkpoints, data files, settings), naming the bad value.
public struct RewardModelError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "reward model: \(message)" }
}
