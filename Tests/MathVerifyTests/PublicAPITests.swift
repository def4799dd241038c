import Testing

@testable import MathVerify

/// The answer-reading functions a caller can use without a gold: they read what `verify` reads.
@Suite struct PublicAPITests {
    @Test func extractAnswerReadsWhatVerifyReads() {
        let completions = [
            ("so the answer is $\\boxed{\\frac{3}{4}}$.", "\\frac{3}{4}"),
            ("Therefore the final answer is $ 12 $", "12"),
            ("no answer here at all", nil),
        ]
        for (completion, expected) in completions {
            let read = MathVerify.extractAnswer(from: completion)
            if let expected {
                #expect(read?.contains(expected) == true, "\(completion) → \(String(describing: read))")
            } else {
                #expect(read == nil, "\(completion) → \(String(describing: read))")
            }
            let v = MathVerify.verify(gold: "x", prediction: completion)
            #expect(v.extractedPrediction == read)
        }
    }

    @Test func extractGoldReadsGSM8KAndMATH() {
        #expect(MathVerify.extractGold(from: "She has 3 + 4 = 7 apples.\n#### 7") == "7")
        #expect(MathVerify.extractGold(from: "Hence $\\boxed{2\\sqrt{2}}$.")?.contains("2\\sqrt{2}") == true)
    }

    @Test func parseShowsTheTreeOrNamesTheFailure() throws {
        let ok = try MathVerify.parse("1/2 + x").get()
        #expect(!ok.isEmpty)
        #expect(try MathVerify.parse("2").get() != MathVerify.parse("3").get())
        guard case .failure(let e) = MathVerify.parse("(1 + ") else {
            Issue.record("an unbalanced parenthesis parsed")
            return
        }
        #expect(!"\(e)".isEmpty)
    }
}
