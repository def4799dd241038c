import ArgumentParser
import RewardKit

/// `reward recipes`: lists the built-in recipes and the terms recipes can use.
struct Recipes: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the built-in recipes and the reward terms they can name.")

    @Option(help: "A folder of extra recipe .json files to list too.")
    var recipes: String?

    @Flag(help: "Print each recipe's JSON definition.")
    var json = false

    func run() throws {
        let book = try Catalog.book(extraRecipeFolder: recipes)
        print("Recipes:")
        for name in book.names {
            let r = book.recipes[name]!
            print("  \(name.padding(toLength: 14, withPad: " ", startingAt: 0)) \(r.description)")
            if json { print("      \(r.json.jsonText)") }
        }
        print("\nTerms:")
        for name in book.registry.names {
            print("  \(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(book.registry.entry(name)!.summary)")
        }
    }
}
