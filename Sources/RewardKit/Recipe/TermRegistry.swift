/// The reward terms a recipe may name, each with a factory that reads its parameters.
///
/// RewardKit registers its own terms in `TermRegistry.standard`; other modules (CodeRewards) add theirs, and
/// applications add custom Swift rewards the same way.
public struct TermRegistry: Sendable {
    public typealias Factory = @Sendable (TermParameters) throws -> any Reward

    public struct Entry: Sendable {
        public var name: String
        /// One line: what the term scores and which published formula it follows.
        public var summary: String
        public var make: Factory
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Adds (or replaces) a term.
    public mutating func register(_ name: String, summary: String, _ make: @escaping Factory) {
        entries[name] = Entry(name: name, summary: summary, make: make)
    }

    /// Terms by name, sorted.
    public var names: [String] { entries.keys.sorted() }

    public func entry(_ name: String) -> Entry? { entries[name] }
}
