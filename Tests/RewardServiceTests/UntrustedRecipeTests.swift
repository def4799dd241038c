import CodeRewards
import Foundation
import Hummingbird
import HummingbirdTesting
import RewardKit
import Testing

@testable import RewardService

/// A recipe sent with a request is built without the terms that act on the service's machine: a `command` term
/// would run any program a client names, a `reward_model` term would load any path (RewardServeTests checks that one
/// in the built `reward serve`). The same terms in a recipe the operator installed keep working.
@Suite struct UntrustedRecipeTests {
    /// A program that would leave a marker file if it ever ran.
    static func commandNode(marker: String) -> String {
        #"{"term":"command","params":{"argv":["/bin/sh","-c","touch "# + marker
            + #"; while read l; do echo '{\"reward\":1}'; done"]}}"#
    }

    @Test func inlineRecipesCannotRunProgramsAnywhereInTheRecipe() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-untrusted-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let command = Self.commandNode(marker: marker)
        let recipes = [
            command,  // the whole reward
            #"{"sum":[{"term":"math"},"# + command + "]}",  // one term of a sum
            #"{"term":"math","params":{"undecided":"# + command + "}}",  // the math term's undecided fallback
        ]
        try await app(configuration()).test(.router) { client in
            for recipe in recipes {
                let body =
                    #"{"recipe":{"reward":"# + recipe + #"},"samples":[{"completion":"\\boxed{1}","answer":"1"}]}"#
                try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .badRequest, "\(recipe)")
                    let error = try json(r.body)["error"]?.stringValue ?? ""
                    #expect(error.contains("may not use it"), "\(error)")
                }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: marker), "a command term of an inline recipe ran")
    }

    /// The code term may be sent inline, but not with the parameters that configure the sandbox itself.
    @Test func inlineCodeRecipesCannotConfigureTheSandbox() async throws {
        var c = configuration()
        c.book = RecipeBook(registry: .withCode, recipes: RecipeBook.codeRecipes)
        c.defaultRecipe = "code"
        c.openRLHFRecipe = "code"
        try await app(c).test(.router) { client in
            for params in [#"{"sandboxes":"/tmp"}"#, #"{"allow_weaker_isolation":true}"#] {
                let body =
                    #"{"recipe":{"reward":{"term":"code","params":"# + params
                    + #"}},"samples":[{"completion":"x","tests":{"kind":"assert","code":"assert True"}}]}"#
                try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .badRequest, "\(params)")
                    let error = try json(r.body)["error"]?.stringValue ?? ""
                    #expect(error.contains("configures the service's sandbox"), "\(error)")
                }
            }
        }
    }

    @Test func theOperatorsOwnRecipesKeepTheirCommandTerms() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-trusted-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        var c = configuration()
        c.book.add(try Recipe(text: #"{"name":"judge","reward":"# + Self.commandNode(marker: marker) + "}"))
        try await app(c).test(.router) { client in
            let body = #"{"recipe":"judge","samples":[{"completion":"x","answer":"1"}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok)
                let result = try json(r.body)["results"]?.arrayValue?.first?.objectValue
                #expect(result?["reward"]?.doubleValue == 1, "\(String(describing: result))")
            }
        }
        #expect(FileManager.default.fileExists(atPath: marker))
    }
}
