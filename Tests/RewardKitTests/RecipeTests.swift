import Testing

@testable import RewardKit

@Suite struct RecipeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var recipe: String
        var message: String
        var testDescription: String { id }
    }

    static let errors: [Case] = [
        .init(id: "not-json", recipe: "{", message: "recipe: invalid JSON"),
        .init(
            id: "top-unknown-key", recipe: #"{"reward":{"term":"format"},"weights":1}"#,
            message: #"recipe: unknown key "weights""#),
        .init(id: "no-reward", recipe: #"{"name":"x"}"#, message: #"missing key "reward""#),
        .init(id: "node-not-object", recipe: #"{"reward":"format"}"#, message: #"reward: expected a recipe node"#),
        .init(id: "two-kinds", recipe: #"{"reward":{"term":"format","sum":[]}}"#, message: "exactly one of"),
        .init(
            id: "unknown-term", recipe: #"{"reward":{"term":"nope"}}"#, message: #"reward.term: unknown term "nope""#),
        .init(
            id: "unknown-node-key", recipe: #"{"reward":{"term":"format","wieght":2}}"#,
            message: #"reward: unknown key "wieght" (value 2)"#),
        .init(
            id: "unknown-param", recipe: #"{"reward":{"term":"format","params":{"strict":true}}}"#,
            message: #"reward.params: unknown parameter "strict" (value true)"#),
        .init(
            id: "bad-choice", recipe: #"{"reward":{"term":"format","params":{"mode":"loose"}}}"#,
            message: #"reward.params.mode: expected one of "strict", "lenient", got "loose""#),
        .init(
            id: "bad-type", recipe: #"{"reward":{"term":"reasoning_steps","params":{"min_steps":"3"}}}"#,
            message: #"reward.params.min_steps: expected an integer, got "3""#),
        .init(
            id: "out-of-range", recipe: #"{"reward":{"term":"reasoning_steps","params":{"min_steps":0}}}"#,
            message: "reward.params.min_steps: expected an integer in 1...1000000, got 0"),
        .init(
            id: "positive-penalty", recipe: #"{"reward":{"term":"repetition","params":{"max_penalty":0.5}}}"#,
            message: "reward.params.max_penalty: expected a number ≤ 0 (a penalty), got 0.5"),
        .init(
            id: "cache-over-max", recipe: #"{"reward":{"term":"overlong","params":{"max_length":100,"cache":200}}}"#,
            message: "reward.params.cache: expected a number ≤ max_length (100), got 200"),
        .init(id: "empty-sum", recipe: #"{"reward":{"sum":[]}}"#, message: "reward.sum: expected a non-empty list"),
        .init(
            id: "sum-child-bad",
            recipe: #"{"reward":{"sum":[{"term":"format"},{"term":"tag_count","params":{"x":1}}]}}"#,
            message: #"reward.sum[1].params: unknown parameter "x""#),
        .init(
            id: "duplicate-names",
            recipe: #"{"reward":{"sum":[{"term":"format"},{"term":"format","params":{"mode":"lenient"}}]}}"#,
            message: #"component name "format" is used twice"#),
        .init(
            id: "bad-weight", recipe: #"{"reward":{"sum":[{"term":"format","weight":"high"}]}}"#,
            message: #"reward.sum[0].weight: expected a number, got "high""#),
        .init(
            id: "gate-without-then", recipe: #"{"reward":{"gate":{"term":"format"}}}"#, message: #"a gate needs "then""#
        ),
        .init(
            id: "clamp-inverted", recipe: #"{"reward":{"clamp":{"term":"format"},"min":1,"max":0}}"#,
            message: "clamp min 1.0 is greater than max 0.0"),
        .init(
            id: "nested-correctness", recipe: #"{"reward":{"term":"length","params":{"correctness":{"term":"zzz"}}}}"#,
            message: #"reward.params.correctness.term: unknown term "zzz""#),
        .init(
            id: "command-empty-argv", recipe: #"{"reward":{"term":"command","params":{"argv":[]}}}"#,
            message: "reward.params.argv: expected a non-empty list of strings"),
        .init(
            id: "name-not-string", recipe: #"{"reward":{"term":"format","name":3}}"#,
            message: "reward.name: expected a string, got 3"),
    ]

    @Test(arguments: errors) func rejectsWithAMessageNamingKeyAndValue(_ c: Case) {
        do {
            _ = try Recipe(text: c.recipe).build(.testing)
            Issue.record("accepted \(c.recipe)")
        } catch {
            #expect("\(error)".contains(c.message), "got: \(error)")
        }
    }

    @Test func builtinRecipesHaveTheArchitectureNames() {
        let names = Set(RecipeBook.builtin.map(\.name))
        #expect(names.isSuperset(of: ["math", "math-r1"]))
    }

    @Test func unknownRecipeNameListsTheKnownOnes() {
        #expect(throws: RecipeError.self) { try RecipeBook().reward(named: "nope") }
    }

    @Test func recipeJSONRoundTrips() throws {
        for r in RecipeBook.builtin {
            let again = try Recipe(json: r.json)
            #expect(again == r)
        }
    }
}
