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
        /// What the term does on the machine that scores — runs a program, reads a path — or nil for a term that
        /// only computes from the sample. Recipes that arrive over the network are built without such terms
        /// (`forUntrustedRecipes`).
        public var hostAccess: String? = nil
    }

    public private(set) var entries: [String: Entry] = [:]
    /// True for `forUntrustedRecipes`' registry: a term whose other parameters configure the host (a folder of
    /// sandbox profiles, weaker isolation) refuses them when this is set.
    public private(set) var untrusted = false

    public init() {}

    /// Adds (or replaces) a term; `hostAccess` says what it does on the scoring machine, if anything.
    public mutating func register(
        _ name: String, summary: String, hostAccess: String? = nil, _ make: @escaping Factory
    ) {
        entries[name] = Entry(name: name, summary: summary, make: make, hostAccess: hostAccess)
    }

    /// The registry for recipes a client sends (`reward serve`'s inline recipes): every term that touches the host
    /// (`hostAccess`) refuses to be built, naming itself and why, wherever it sits in the recipe (also inside
    /// another term's parameters, such as the math term's `undecided` fallback). Recipes the operator installed
    /// (built-in, `--recipe`, `--recipes`) keep the full registry.
    public func forUntrustedRecipes() -> TermRegistry {
        var restricted = self
        restricted.untrusted = true
        for (name, entry) in entries {
            guard let access = entry.hostAccess else { continue }
            restricted.entries[name]!.make = { p in
                throw RecipeError(
                    "\(p.path): term \"\(name)\" \(access), so a recipe sent with a request may not use it; "
                        + "name a recipe the service was started with (--recipe, --recipes) instead")
            }
        }
        return restricted
    }

    /// Terms by name, sorted.
    public var names: [String] { entries.keys.sorted() }

    public func entry(_ name: String) -> Entry? { entries[name] }
}
