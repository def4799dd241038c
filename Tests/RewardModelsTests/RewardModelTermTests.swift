import Foundation
import RewardKit
import RewardModels
import Testing

@Suite("reward_model term")
struct RewardModelTermTests {
    static func registry() -> TermRegistry {
        var r = TermRegistry.standard
        r.registerRewardModelTerm()
        return r
    }

    static func samples() -> [Sample] {
        ["1", "12", "a much longer completion", "", "7-2=5\n5+9=14", "xyz"].enumerated().map { i, c in
            Sample(prompt: "prompt \(i) " + String(repeating: "p", count: i), completion: .text(c))
        }
    }

    /// Batches of 4 (rows padded to different lengths) give the same scores as one sample at a time.
    @Test func batchingGivesTheSameScoresAsOneByOne() async throws {
        let dir = try Small.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Small.model(seed: 9).save(to: dir)
        let batched = try Recipe(json: [
            "reward": ["term": "reward_model", "params": ["path": .string(dir.path), "batch_size": 4]]
        ])
        .build(Self.registry())
        let single = try Recipe(json: [
            "reward": ["term": "reward_model", "params": ["path": .string(dir.path), "batch_size": 1]]
        ])
        .build(Self.registry())
        let a = await batched.score(Self.samples())
        let b = await single.score(Self.samples())
        #expect(a.count == 6 && b.count == 6)
        for (x, y) in zip(a, b) {
            #expect(x.error == nil && y.error == nil)
            #expect(abs(x.value - y.value) < 1e-5)
        }
        #expect(Set(a.map(\.value)).count > 1)  // the scores depend on the text
    }

    /// Composable: accuracy + 0.1 × model score, the model's value reported as a component; `sigmoid` maps into (0, 1).
    @Test func composesWithVerifiableTerms() async throws {
        let dir = try Small.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Small.model(seed: 9).save(to: dir)
        let recipe = try Recipe(json: [
            "reward": [
                "sum": [
                    ["term": "math", "name": "accuracy"],
                    [
                        "term": "reward_model", "name": "rm", "weight": 0.1,
                        "params": ["path": .string(dir.path), "sigmoid": true],
                    ],
                ]
            ]
        ]).build(Self.registry())
        let s = [
            Sample(prompt: "2+2?", completion: .text("4"), reference: "4"),
            Sample(prompt: "2+2?", completion: .text("5"), reference: "4"),
        ]
        let scores = await recipe.score(s)
        for (score, accuracy) in zip(scores, [1.0, 0.0]) {
            let rm = try #require(score.components["rm"])
            #expect(rm > 0 && rm < 1)
            #expect(abs(score.value - (accuracy + 0.1 * rm)) < 1e-9)
        }
    }

    /// A sequence longer than the model reads is an error for that sample only; a missing or wrong folder and a
    /// missing path fail when the recipe is built, naming the problem.
    @Test func errorsAreNamedAndPerSample() async throws {
        let dir = try Small.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Small.model(seed: 9, maxLength: 20).save(to: dir)
        let reward = try Recipe(json: ["reward": ["term": "reward_model", "params": ["path": .string(dir.path)]]])
            .build(Self.registry())
        let scores = await reward.score([
            Sample(prompt: "p", completion: .text("short")),
            Sample(prompt: "p", completion: .text(String(repeating: "long", count: 10))),
        ])
        #expect(scores[0].error == nil)
        #expect(scores[1].error?.contains("43 tokens") == true)
        #expect { try Recipe(json: ["reward": ["term": "reward_model"]]).build(Self.registry()) } throws: {
            "\($0)".contains("reward.params.path")
        }
        #expect {
            try Recipe(json: ["reward": ["term": "reward_model", "params": ["path": "/nonexistent/rm"]]])
                .build(Self.registry())
        } throws: { "\($0)".contains("/nonexistent/rm") }
    }
}
