import ArgumentParser
import CodeRewards
import Foundation
import RewardKit
import RewardModels
import RewardService
import Sandbox

/// The recipes and terms this build of `reward` knows, plus recipes from a folder or a file.
enum Catalog {
    /// Built-in terms and recipes of every reward module linked into the binary.
    static func book(extraRecipeFolder: String? = nil) throws -> RecipeBook {
        var registry = TermRegistry.withCode
        registry.registerRewardModelTerm()
        var book = RecipeBook(registry: registry, recipes: RecipeBook.builtin + RecipeBook.codeRecipes)
        if let folder = extraRecipeFolder {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }
                .sorted()
            for file in names {
                let path = (folder as NSString).appendingPathComponent(file)
                book.add(try loadRecipe(path: path))
            }
        }
        return book
    }

    /// Reads a recipe file; its name defaults to the file name without `.json`.
    static func loadRecipe(path: String) throws -> Recipe {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read recipe file \(path)")
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            return try Recipe(text: String(decoding: data, as: UTF8.self), defaultName: name)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    /// The sandbox behind `/run_code`, over the profiles of `Sandboxes/`.
    static func codeExecutor(sandboxes: String?, allowWeakerIsolation: Bool) throws -> any CodeExecutor {
        let profiles = try sandboxes.map { try Profiles(directory: $0) } ?? Profiles()
        return SandboxExecutor(
            profiles: profiles, sandbox: Sandbox(options: .init(allowWeakerIsolation: allowWeakerIsolation)))
    }

    /// `--recipe` takes a recipe name or a path to a recipe JSON file.
    static func resolve(_ nameOrPath: String, in book: RecipeBook) throws -> Recipe {
        if let r = book.recipes[nameOrPath] { return r }
        if nameOrPath.hasSuffix(".json") || nameOrPath.contains("/") { return try loadRecipe(path: nameOrPath) }
        throw ValidationError(
            "unknown recipe \"\(nameOrPath)\"; known recipes: \(book.names.joined(separator: ", ")) (or give a path to a .json recipe)"
        )
    }
}
