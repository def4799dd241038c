import Testing

@testable import RewardKit

/// Expected values were computed by running open-r1's published functions (src/open_r1/rewards.py) on the same
/// inputs; they are the worked examples these terms must reproduce.
@Suite struct TextRewardTests {
    static let layouts: [(id: String, text: String, strict: Double, tags: Double)] = [
        ("strict", "<think>\nabc\n</think>\n<answer>\n4\n</answer>", 1, 1),
        // open-r1's MULTILINE `$` accepts text after </answer> on a later line.
        ("trailing", "<think>\nabc\n</think>\n<answer>\n4\n</answer>\nmore text", 1, 1),
        ("no-newlines", "<think>abc</think><answer>4</answer>", 0, 0),
        ("leading-space", " <think>\nabc\n</think>\n<answer>\n4\n</answer>", 0, 1),
        ("two-thinks", "<think>\na\n</think>\n<think>\nb\n</think>\n<answer>\n4\n</answer>", 1, 0.5),
    ]

    @Test(arguments: layouts.map(\.id)) func formatAndTagCountMatchOpenR1(_ id: String) {
        let c = Self.layouts.first { $0.id == id }!
        #expect(FormatReward(mode: .strict).score(sample(c.text)).value == c.strict)
        #expect(TagCountReward().score(sample(c.text)).value == c.tags)
    }

    @Test func lenientFormatAcceptsSpacingButNotExtraText() {
        let f = FormatReward(mode: .lenient)
        #expect(f.score(sample("<think>abc</think> <answer>4</answer>")).value == 1)
        #expect(f.score(sample("  <think>\na\n</think>\n\n<answer>4</answer>\n")).value == 1)
        #expect(f.score(sample("<think>a</think><answer>4</answer> trailing")).value == 0)
        #expect(f.score(sample("<answer>4</answer><think>a</think>")).value == 0)
    }

    @Test func reasoningSteps() {
        let r = ReasoningStepsReward()
        #expect(close(r.score(sample("Step 1: a\nStep 2: b")).value, 2.0 / 3))
        #expect(r.score(sample("1. a\n2. b\n- c\n* d\nFirst, Second, Next, Finally,")).value == 1)
        #expect(r.score(sample("no steps here")).value == 0)
        #expect(ReasoningStepsReward(minSteps: 1).score(sample("Step 1: a")).value == 1)
    }

    @Test func repetitionPenaltyOverWords() {
        #expect(close(RepetitionPenaltyReward(ngramSize: 2, maxPenalty: -1).score(sample("a b a b a b")).value, -0.6))
        #expect(
            close(
                RepetitionPenaltyReward(ngramSize: 3, maxPenalty: -0.5)
                    .score(sample("The cat sat on the mat the cat sat")).value, -0.07142857142857145))
        #expect(RepetitionPenaltyReward(ngramSize: 3, maxPenalty: -1).score(sample("one two")).value == 0)
        #expect(RepetitionPenaltyReward(ngramSize: 3, maxPenalty: -1).score(sample("")).value == 0)
        #expect(close(RepetitionPenaltyReward(ngramSize: 1, maxPenalty: -1).score(sample("A a A a")).value, -0.75))
    }

    @Test func repetitionPenaltyOverTokens() {
        let r = RepetitionPenaltyReward(ngramSize: 2, maxPenalty: -1, unit: .tokens)
        #expect(close(r.score(sample("ignored", tokens: [1, 2, 1, 2, 1, 2])).value, -0.6))
        #expect(r.score(sample("ignored", tokens: [1, 2, 3, 4])).value == 0)
        #expect(r.score(sample("no ids")).error?.contains("completion_token_ids") == true)
    }

    @Test func cosineScaledLengthMatchesOpenR1() async {
        // open-r1 get_cosine_scaled_reward() defaults, max_len 1000; lengths given as token counts.
        let cases: [(len: Int, correct: Bool, expected: Double)] = [
            (0, true, 1.0), (500, true, 0.75), (1000, true, 0.5), (250, false, -0.9267766952966369), (1500, true, 0.75),
        ]
        let judge = TableReward(table: ["c": 1, "w": 0])
        let batch = cases.map { sample($0.correct ? "c" : "w", tokens: Array(repeating: 1, count: $0.len)) }
        let scores = await CosineLengthReward(correctness: judge, unit: .tokens).score(batch)
        for (c, s) in zip(cases, scores) { #expect(close(s.value, c.expected, 1e-12), "len \(c.len)") }
        let clipped = await CosineLengthReward(correctness: judge, unit: .tokens, clipLength: true)
            .score([sample("c", tokens: Array(repeating: 1, count: 1500))])
        #expect(close(clipped[0].value, 0.5))
    }

    @Test func kimiLengthRewardWithinGroups() async {
        // open-r1 len_reward on lengths [10, 20, 30, 40], correctness [T, T, F, F].
        let texts = [
            "ok" + String(repeating: "x", count: 8), "ok" + String(repeating: "x", count: 18),
            String(repeating: "y", count: 30), String(repeating: "y", count: 40),
        ]
        let batch =
            texts.map { sample($0, reference: "ok", prompt: "q1") } + [
                sample("ok", reference: "ok", prompt: "q2"), sample("no", reference: "ok", prompt: "q2"),
            ]
        let scores = await LengthReward(correctness: ContainsReference()).score(batch)
        let expected = [0.5, 0.16666666666666669, -0.16666666666666663, -0.5, 0, 0]
        for (s, e) in zip(scores, expected) { #expect(close(s.value, e, 1e-12)) }
        // group_by batch (open-r1): one normalisation over all six.
        let whole = await LengthReward(correctness: ContainsReference(), groupBy: "batch").score(batch)
        #expect(close(whole[4].value, 0.5))  // the shortest (2 chars) and correct
    }

    @Test func softOverlongMatchesDAPOEquation13() {
        // L_max = 20, L_cache = 4: no penalty up to 16, linear to -1 at 20, -1 beyond.
        let r = SoftOverlongReward(maxLength: 20, cache: 4)
        let expected: [(Int, Double)] = [(10, 0), (16, 0), (17, -0.25), (18, -0.5), (20, -1), (21, -1), (100, -1)]
        for (n, e) in expected {
            #expect(r.score(sample("t", tokens: Array(repeating: 7, count: n))).value == e, "length \(n)")
        }
        #expect(r.score(sample("no ids")).isError)
        #expect(
            SoftOverlongReward(maxLength: 20, cache: 4, unit: .characters).score(
                sample(String(repeating: "é", count: 18))
            ).value == -0.5)
        #expect(
            SoftOverlongReward(maxLength: 20, cache: 4, unit: .bytes).score(sample(String(repeating: "é", count: 9)))
                .value == -0.5)
        #expect(SoftOverlongReward(maxLength: 3, cache: 1, unit: .words).score(sample("a b  c\nd")).value == -1)
    }
}
