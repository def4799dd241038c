import Foundation
import Hummingbird
import HummingbirdTesting
import RewardKit
import Testing

@testable import RewardService

/// `/get_reward` as OpenRLHF reads it: every key a number for every sample, the response without the prompt and
/// the end-of-sequence text.
@Suite struct OpenRLHFTests {
    /// A two-term recipe like `math-r1`: `accuracy` (the reference appears) + the strict `format`.
    static func r1Like(_ edit: (inout ServiceConfiguration) -> Void = { _ in }) -> ServiceConfiguration {
        configuration { c in
            c.book = RecipeBook(
                registry: c.book.registry,
                recipes: c.book.recipes.map(\.value) + [
                    Recipe(
                        name: "r1", description: "test",
                        node: ["sum": [["term": "contains", "name": "accuracy"], ["term": "format"]]])
                ])
            c.openRLHFRecipe = "r1"
            edit(&c)
        }
    }

    static let good = "<think>\nadd\n</think>\n<answer>\n4\n</answer>"

    @Test func everySampleHasEveryKeyAsANumber() async throws {
        try await app(Self.r1Like()).test(.router) { client in
            // scorable and right (with Qwen's end text), scorable and wrong, no label (unscorable), not a string.
            let queries: [JSON] = [
                .string("P1" + Self.good + "<|im_end|>"), "P2<answer>5</answer>",
                .string("P3" + Self.good), 7,
            ]
            let body = JSON.object(
                JSONObject([
                    ("query", .array(queries)),
                    ("prompts", ["P1", "P2", "P3", "P4"]), ("labels", ["4", "4", nil, "4"]),
                ]))
            try await client.execute(uri: "/get_reward", method: .post, body: ByteBuffer(string: body.jsonText)) { r in
                #expect(r.status == .ok)
                let o = try json(r.body)
                let rewards = try #require(o["rewards"]?.arrayValue?.map(\.doubleValue))
                #expect(rewards == [2, 0, 0, 0], "right + format after the end text is cut; unscorable ones 0")
                let logs = try #require(o["extra_logs"]?.objectValue)
                #expect(Set(logs.keys).isSuperset(of: ["accuracy", "format"]))
                for (key, values) in logs.entries {
                    let numbers = values.arrayValue?.compactMap(\.doubleValue) ?? []
                    #expect(numbers.count == 4, "\(key) has a number for each of the 4 samples")
                }
                #expect(logs["accuracy"]?.arrayValue?.map(\.doubleValue) == [1, 0, 0, 0])
                #expect(logs["format"]?.arrayValue?.map(\.doubleValue) == [1, 0, 0, 0])
                let grader = GraderIdentity(json: o["grader"])
                #expect(grader?.recipe == "r1" && grader?.arbiter == GraderIdentity.arbiterVersion, "\(o)")
                let errors = try #require(o["errors"]?.arrayValue)
                #expect(errors.filter { !$0.isNull }.count == 2, "the two unscorable samples are counted in errors")
                #expect(errors[3].stringValue?.contains("query[3] must be a string") == true)
            }
        }
    }

    /// OpenRLHF sends one sample per request: an unscorable one alone must still carry every key.
    @Test func aLoneUnscorableSampleStillCarriesEveryKey() async throws {
        try await app(Self.r1Like()).test(.router) { client in
            let body = #"{"query":["Q no label"],"prompts":["Q"],"labels":[null]}"#
            try await client.execute(uri: "/get_reward", method: .post, body: ByteBuffer(string: body)) { r in
                let o = try json(r.body)
                #expect(o["rewards"]?.arrayValue?.map(\.doubleValue) == [0])
                #expect(o["extra_logs"]?.objectValue?["accuracy"]?.arrayValue?.map(\.doubleValue) == [0])
                #expect(o["extra_logs"]?.objectValue?["format"]?.arrayValue?.map(\.doubleValue) == [0])
                #expect(o["errors"]?.arrayValue?.first?.stringValue != nil)
            }
        }
    }

    @Test func endTextsAreConfigurable() async throws {
        let query = JSON.string("P" + Self.good + "[END][END]").jsonText
        let body = #"{"query":["# + query + #"],"prompts":["P"],"labels":["4"]}"#
        try await app(Self.r1Like { $0.openRLHFEndTexts = ["[END]"] }).test(.router) { client in
            try await client.execute(uri: "/get_reward", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(parsed(r)["extra_logs"]?.objectValue?["format"]?.arrayValue?.map(\.doubleValue) == [1])
            }
        }
        try await app(Self.r1Like { $0.openRLHFEndTexts = [] }).test(.router) { client in
            try await client.execute(uri: "/get_reward", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(
                    parsed(r)["extra_logs"]?.objectValue?["format"]?.arrayValue?.map(\.doubleValue) == [0],
                    "nothing cut")
            }
        }
    }
}
