import Testing

@testable import GRPO

@Suite struct DynamicSamplingTests {
    @Test(
        arguments: [
            ([1.0, 1, 1], false), ([0.0, 0], false), ([1.0, 0], true), ([0.5], true), ([nil, 1.0, 1], false),
            ([nil, 1.0, 0], true), ([nil, nil], false), ([nil], false),
        ] as [([Double?], Bool)])
    func informativeGroupsHaveUnequalRewards(rewards: [Double?], informative: Bool) {
        #expect(GroupFilter.isInformative(rewards) == informative)
    }

    /// A fake generator: batch n is the n-th entry of `batches`, each group a (name, rewards) pair.
    struct FakeGenerator {
        var batches: [[(String, [Double?])]]
        func callAsFunction(_ n: Int) -> [(String, [Double?])] { n < batches.count ? batches[n] : batches.last! }
    }

    @Test func refillsUntilTheTargetAndCutsTheBatchToSize() async throws {
        let gen = FakeGenerator(batches: [
            [("a", [1, 1]), ("b", [1, 0]), ("c", [0, 0])],
            [("d", [0, 0]), ("e", [0, 1]), ("f", [1, 0]), ("g", [0, 1])],
        ])
        let sampler = DynamicSampler(enabled: true, targetGroups: 3, maxGenerationBatches: 5, onExhaustion: .error)
        let out = try await sampler.fill(generate: { gen($0) }, rewards: { $0.1 })
        #expect(out.groups.map(\.0) == ["b", "e", "f"])
        #expect(out.batches == 2)
        #expect(out.generated == 7)
        #expect(out.uninformative == 3)
        #expect(abs(out.filteredFraction - 3.0 / 7) < 1e-15)
        #expect(!out.partial)
    }

    @Test func exhaustionThrowsByDefault() async throws {
        let gen = FakeGenerator(batches: [[("a", [1, 1]), ("b", [1, 0])]])
        let sampler = DynamicSampler(enabled: true, targetGroups: 4, maxGenerationBatches: 2, onExhaustion: .error)
        await #expect(throws: GRPOError.self) {
            try await sampler.fill(generate: { gen($0) }, rewards: { $0.1 })
        }
        do {
            _ = try await sampler.fill(generate: { gen($0) }, rewards: { $0.1 })
        } catch let e as GRPOError {
            #expect(e.message.hasPrefix("dynamic sampling kept 2 of 4 groups after 2 generation batches"))
        }
    }

    @Test func exhaustionCanReturnThePartialBatch() async throws {
        let gen = FakeGenerator(batches: [[("a", [1, 1]), ("b", [1, 0])]])
        let sampler = DynamicSampler(enabled: true, targetGroups: 4, maxGenerationBatches: 3, onExhaustion: .partial)
        let out = try await sampler.fill(generate: { gen($0) }, rewards: { $0.1 })
        #expect(out.groups.map(\.0) == ["b", "b", "b"])
        #expect(out.partial)
        #expect(out.batches == 3)
    }

    @Test func unlimitedBatchesKeepGoing() async throws {
        var batches = Array(repeating: [("x", [0.0, 0] as [Double?])], count: 25)
        batches.append([("y", [0, 1])])
        let gen = FakeGenerator(batches: batches)
        let sampler = DynamicSampler(enabled: true, targetGroups: 1, maxGenerationBatches: 0, onExhaustion: .error)
        let out = try await sampler.fill(generate: { gen($0) }, rewards: { $0.1 })
        #expect(out.batches == 26)
        #expect(out.groups.map(\.0) == ["y"])
    }

    @Test func disabledKeepsTheFirstBatchWholeAndStillCounts() async throws {
        let gen = FakeGenerator(batches: [[("a", [1, 1]), ("b", [1, 0])]])
        let sampler = DynamicSampler(enabled: false, targetGroups: 2, maxGenerationBatches: 1, onExhaustion: .error)
        let out = try await sampler.fill(generate: { gen($0) }, rewards: { $0.1 })
        #expect(out.groups.map(\.0) == ["a", "b"])
        #expect(out.filteredFraction == 0.5)
    }

    @Test func anEmptyGenerationBatchIsAnErrorNotAHang() async throws {
        let sampler = DynamicSampler(enabled: true, targetGroups: 1, maxGenerationBatches: 0, onExhaustion: .error)
        let empty: (Int) async throws -> [[Double?]] = { _ in [] }
        await #expect(throws: GRPOError("generation batch 0 returned no groups")) {
            try await sampler.fill(generate: empty, rewards: { $0 })
        }
    }
}
