import Foundation
import Synchronization
import Testing

@testable import RewardKit

/// A reward that remembers every batch it was asked to score and gives each sample 0.5.
final class RecordingReward: Reward {
    let batches = Mutex<[[String]]>([])
    func score(_ batch: [Sample]) async -> [Score] {
        batches.withLock { $0.append(batch.map(\.completionText)) }
        return batch.map { Score(0.5, reason: "judged \($0.completionText)") }
    }
}

/// The math term's three-valued verdict: in its scores, through compositions and records, and what `undecided`
/// scores (a value or a fallback reward asked only about the undecided samples).
@Suite struct MathVerdictTests {
    static let plugin = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/plugin.py").path

    let batch = [
        sample("\\boxed{5}", reference: "5"),  // equal
        sample("\\boxed{6}", reference: "5"),  // different
        sample("I cannot tell.", reference: "5"),  // undecided: no answer
        sample("\\boxed{(1, 2}", reference: "5"),  // undecided: does not parse
    ]

    @Test func scoresCarryTheVerdict() async {
        let scores = await MathAccuracyReward().score(batch)
        #expect(scores.map(\.verdict) == [.equal, .different, .undecided, .undecided])
        #expect(scores.map(\.value) == [1, 0, 0, 0])
    }

    @Test func undecidedScoresTheRecipeValue() async throws {
        let recipe = #"{"reward":{"term":"math","params":{"undecided":0.5}}}"#
        let scores = try await Recipe(text: recipe).build(.standard).score(batch)
        #expect(scores.map(\.value) == [1, 0, 0.5, 0.5], "\(scores.map { $0.reason ?? "" })")
    }

    @Test func onlyUndecidedSamplesGoToTheFallbackInOneBatch() async {
        let judge = RecordingReward()
        let scores = await MathAccuracyReward(undecided: .fallback(judge)).score(batch)
        #expect(judge.batches.withLock { $0 } == [["I cannot tell.", "\\boxed{(1, 2}"]])
        #expect(scores.map(\.value) == [1, 0, 0.5, 0.5])
        #expect(scores.map(\.verdict) == [.equal, .different, .undecided, .undecided])
        #expect(scores[2].reason?.contains("judged I cannot tell.") == true, "\(scores[2].reason ?? "")")
        let none = RecordingReward()
        _ = await MathAccuracyReward(undecided: .fallback(none)).score(Array(batch.prefix(2)))
        #expect(none.batches.withLock { $0 }.isEmpty, "no undecided sample, no call")
    }

    @Test func aCommandTermJudgesTheUndecidedCases() async throws {
        let judge = #"{"term":"command","params":{"argv":["python3","\#(Self.plugin)"],"timeout":30}}"#
        let recipe = #"{"reward":{"term":"math","params":{"undecided":\#(judge)}}}"#
        let scores = try await Recipe(text: recipe).build(.standard).score(batch)
        // The plugin scores a completion by its length.
        #expect(scores.map(\.value) == [1, 0, 14, 13], "\(scores.map { $0.reason ?? $0.error ?? "" })")
    }

    @Test func aFailingFallbackIsTheSamplesError() async {
        let scores = await MathAccuracyReward(undecided: .fallback(ClosureReward { _ in .failure("cannot judge") }))
            .score(batch)
        #expect(scores.prefix(2).allSatisfy { !$0.isError })
        #expect(scores[2].error?.contains("fallback failed: cannot judge") == true, "\(scores[2])")
        #expect(scores[3].isError)
    }

    @Test func badUndecidedValuesAreRejectedByPath() {
        for (value, expected) in [(#""zero""#, "reward.params.undecided"), (#"{"term":"nope"}"#, "unknown term")] {
            let recipe = #"{"reward":{"term":"math","params":{"undecided":"# + value + "}}}"
            #expect(throws: RecipeError.self) { try Recipe(text: recipe).build(.standard) }
            do { _ = try Recipe(text: recipe).build(.standard) } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
    }

    @Test func compositionsPassTheVerdictOn() async {
        let sum = WeightedSum([.init("a", MathAccuracyReward()), .init("t", TableReward(table: [:]))])
        #expect(await sum.score(batch).map(\.verdict) == [.equal, .different, .undecided, .undecided])
        let two = WeightedSum([
            .init("a", MathAccuracyReward()),
            .init(
                "b",
                ClosureReward { _ in
                    Score(1, verdict: .different)
                }),
        ])
        #expect(await two.score([batch[0], batch[2]]).map(\.verdict) == [.different, .undecided])
        let gated = Gate(TableReward(table: ["\\boxed{5}": 1]), then: MathAccuracyReward())
        #expect(await gated.score(batch).map(\.verdict) == [.equal, .different, .undecided, .undecided])
        #expect(await TableReward(table: [:]).score(batch).allSatisfy { $0.verdict == nil })
    }

    @Test func recordsSayTheVerdict() async throws {
        let book = RecipeBook()
        let scorer = try RecordScorer(book: book, defaultRecipe: try #require(book.recipes["math"]))
        let inputs: [RecordScorer.Input] = [
            .object(JSONObject([("completion", .string("\\boxed{5}")), ("answer", .string("5"))])),
            .object(JSONObject([("completion", .string("I cannot tell.")), ("answer", .string("5"))])),
            .object(JSONObject([("completion", .string("\\boxed{5}"))])),  // no reference: an error, no verdict
        ]
        let records = await scorer.score(inputs).map(\.json)
        #expect(records[0]["verdict"]?.stringValue == "equal")
        #expect(records[1]["verdict"]?.stringValue == "undecided")
        #expect(records[2]["verdict"] == nil && records[2]["error"] != nil)
    }

    @Test func extractionSettingsAreParameters() async throws {
        let recipe = #"{"reward":{"term":"math","params":{"decimal_comma":true,"extraction_mode":"latex"}}}"#
        let scores = try await Recipe(text: recipe).build(.standard).score([
            sample("$3,5$", reference: "3.5"), sample("it is 3.5", reference: "3.5"),
        ])
        #expect(scores.map(\.verdict) == [.equal, .undecided], "\(scores.map { $0.reason ?? "" })")
    }
}
