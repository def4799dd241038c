/// The one error type of CodeRewards: a sample whose tests cannot be read or run. A sample that fails with it is
/// reported as "could not be scored" (`Score.error`), never as a wrong answer.
public struct CodeRewardsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
