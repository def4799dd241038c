import ArgumentParser
import Foundation
import RewardKit

extension Recipes {
    /// `--recipe` takes a built-in recipe name or a path to a recipe JSON file (`{"reward": node}`), e.g. one mixing
    /// a verifiable term with a `reward_model` term.
    static func reward(_ nameOrPath: String) throws -> any Reward {
        let book = book()
        if book.recipes[nameOrPath] != nil { return try book.reward(named: nameOrPath) }
        guard nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") else {
            throw ValidationError(
                "unknown recipe \"\(nameOrPath)\"; known: \(book.names.joined(separator: ", ")) or a path to a .json recipe"
            )
        }
        guard let data = FileManager.default.contents(atPath: nameOrPath) else {
            throw ValidationError("cannot read recipe file \(nameOrPath)")
        }
        let name = ((nameOrPath as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            return try Recipe(text: String(decoding: data, as: UTF8.self), defaultName: name).build(book.registry)
        } catch { throw ValidationError("\(nameOrPath): \(error)") }
    }
}
