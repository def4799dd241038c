import Testing

@testable import RewardKit

@Suite struct MathAccuracyRewardTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var id: String
        var completion: String
        var reference: String?
        var value: Double?  // nil: an error
        var testDescription: String { id }
    }

    static let cases: [Case] = [
        .init(
            id: "gsm8k-correct", completion: "She has 72. The answer is \\boxed{72}.",
            reference: "48/2 = <<48/2=24>>24\n#### 72", value: 1),
        .init(id: "gsm8k-wrong", completion: "The answer is \\boxed{71}.", reference: "#### 72", value: 0),
        .init(id: "math-equivalent", completion: "So $p = \\boxed{0.5}$", reference: "\\frac{1}{2}", value: 1),
        .init(
            id: "math-solution-reference", completion: "<answer>(3, \\frac{\\pi}{2})</answer>",
            reference: "The point is $\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$.", value: 1),
        .init(id: "no-answer-in-completion", completion: "I give up.", reference: "5", value: 0),
        .init(id: "no-reference", completion: "\\boxed{5}", reference: nil, value: nil),
        .init(id: "blank-reference", completion: "\\boxed{5}", reference: "  ", value: nil),
    ]

    /// The reason reads in the order it names things: the extracted value, then the expected one.
    @Test func aMismatchReadsExtractedThenExpected() {
        let s = MathAccuracyReward().score(sample("The answer is \\boxed{41}.", reference: "#### 42"))
        #expect(s.value == 0)
        #expect(s.reason == "extracted 41, expected 42: 41 ≠ 42", "\(s.reason ?? "")")
    }

    @Test(arguments: cases) func scores(_ c: Case) {
        let s = MathAccuracyReward().score(sample(c.completion, reference: c.reference))
        if let value = c.value {
            #expect(!s.isError, "\(c.id): \(s.error ?? "")")
            #expect(s.value == value, "\(c.id): \(s.reason ?? "")")
            #expect(s.reason?.contains("expected") == true)
        } else {
            #expect(s.isError, "\(c.id) should be an error")
        }
    }

    @Test func chatCompletionsUseTheLastAssistantMessage() {
        let s = Sample(
            completion: .messages([
                Message(role: "user", content: "2+2?"),
                Message(role: "assistant", content: "\\boxed{4}"),
            ]), reference: "4")
        #expect(MathAccuracyReward().score(s).value == 1)
    }

    @Test func registeredAsMathWithItsOptionsAsParameters() async throws {
        let recipe = #"{"reward":{"term":"math","params":{"last_number_fallback":false,"percent":"divideBy100"}}}"#
        let reward = try Recipe(text: recipe).build(.standard)
        let scores = await reward.score([
            sample("the total is 8", reference: "8"),  // needs the last-number fallback, switched off
            sample("\\boxed{25\\%}", reference: "0.25"),
            sample("\\boxed{25\\%}", reference: "25"),  // only 0.25 under divideBy100
        ])
        #expect(scores.map(\.value) == [0, 1, 0], "\(scores.map { $0.reason ?? $0.error ?? "" })")
    }

    @Test func defaultMathRecipeScores() async throws {
        let reward = try RecipeBook().reward(named: "math")
        let scores = await reward.score([
            sample("\\boxed{12}", reference: "#### 12"), sample("\\boxed{13}", reference: "12"),
        ])
        #expect(scores.map(\.value) == [1, 0])
    }

    @Test func badParametersAreRejectedByName() {
        for (recipe, message) in [
            (#"{"reward":{"term":"math","params":{"percent":"half"}}}"#, "reward.params.percent"),
            (#"{"reward":{"term":"math","params":{"extraction_order":["boxed","psychic"]}}}"#, "psychic"),
            (#"{"reward":{"term":"math","params":{"max_steps":0}}}"#, "reward.params.max_steps"),
            (#"{"reward":{"term":"math","params":{"tolerance":0.1}}}"#, "unknown parameter \"tolerance\""),
        ] {
            do {
                _ = try Recipe(text: recipe).build(.standard)
                Issue.record("accepted \(recipe)")
            } catch {
                #expect("\(error)".contains(message), "got: \(error)")
            }
        }
    }
}
