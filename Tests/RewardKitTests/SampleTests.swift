import Testing

@testable import RewardKit

@Suite struct SampleTests {
    func parse(_ text: String) throws -> Sample { try Sample(json: try JSONParser.parse(text).objectValue!) }

    @Test(arguments: [
        (#"{"completion":"x","answer":"1"}"#, "1"),
        (#"{"completion":"x","solution":"\\frac12"}"#, "\\frac12"),
        (#"{"completion":"x","ground_truth":7}"#, "7"),
        (#"{"completion":"x","reward_model":{"style":"rule","ground_truth":"42"}}"#, "42"),
        (#"{"completion":"x","answer":"a","solution":"long worked solution"}"#, "a"),
        (#"{"completion":"x","answer":"","solution":"so \\boxed{3}"}"#, "so \\boxed{3}"),
    ])
    func referenceAliases(_ text: String, _ expected: String) throws {
        #expect(try parse(text).reference == expected)
    }

    @Test func chatCompletionUsesLastAssistantMessage() throws {
        let s = try parse(
            #"{"prompt":[{"role":"system","content":"s"},{"role":"user","content":"q"}],"completion":[{"role":"assistant","content":"a1"},{"role":"tool","content":"t"},{"role":"assistant","content":"a2"}]}"#
        )
        #expect(s.completionText == "a2")
        #expect(s.prompt == "q")
    }

    @Test(arguments: [
        (#"{"answer":"1"}"#, "missing field \"completion\""),
        (#"{"completion":3}"#, "field \"completion\" must be a string or a list of messages, got 3"),
        (#"{"completion":[{"role":"assistant"}]}"#, "field \"completion\"[0].content must be a string"),
        (
            #"{"completion":"x","completion_token_ids":[1,"a"]}"#,
            "field \"completion_token_ids\"[1] must be an integer, got \"a\""
        ),
        (#"{"completion":"x","language":5}"#, "field \"language\" must be a string, got 5"),
    ])
    func badSamplesNameTheField(_ text: String, _ message: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }
}
