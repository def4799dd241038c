/// Why a recipe cannot be built. The message names the path in the recipe, the key and the value.
public struct RecipeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
