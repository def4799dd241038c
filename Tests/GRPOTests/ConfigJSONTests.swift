import RewardKit
import Testing

@testable import GRPO

@Suite struct ConfigJSONTests {
    @Test(arguments: GRPOConfig.presetNames)
    func everyFieldRoundTrips(preset: String) throws {
        var c = try #require(GRPOConfig.preset(named: preset))
        c.delta = 1.7
        c.iterations = 3
        c.maskTruncated = true
        c.rewardWeights = [1, 0.5]
        c.objective = .sapo
        c.advantageEstimator = .rloo
        c.klInReward = 0.01
        c.vespoKNeg = 4
        // Written only when not the default (so older run folders' settings still match on --resume).
        #expect(c.json["kl_ctrl"] == nil && c.json["mini_batches"] == nil)
        (c.klControl, c.klTarget, c.klHorizon, c.miniBatches) = (.adaptive, 0.05, 50, 2)
        let text = JSON.object(c.json).jsonText
        #expect(try GRPOConfig(json: JSONParser.parse(text).objectValue!) == c)
        #expect(Set(c.json.keys).isSubset(of: Set(GRPOConfig.jsonKeys)))
        #expect(c.json.count == GRPOConfig.jsonKeys.count - 4, "all but preset, epsilon, loss_type and policy_loss")
    }

    /// TRL's and verl's names set what the libraries set.
    @Test func libraryNamesSetObjectiveAggregationAndLevel() throws {
        func config(_ text: String) throws -> GRPOConfig { try GRPOConfig(json: JSONParser.parse(text).objectValue!) }
        let sapo = try config(#"{"preset": "trl", "loss_type": "sapo"}"#)
        #expect(sapo.objective == .sapo && sapo.lossAggregation == .seqMeanTokenMean)
        let cispo = try config(#"{"preset": "trl", "loss_type": "cispo"}"#)
        #expect(cispo.objective == .trlCISPO && cispo.lossAggregation == .tokenMean)
        let gspo = try config(#"{"preset": "verl", "policy_loss": "gspo"}"#)
        #expect(gspo.objective == .clip && gspo.importanceSampling == .sequence)
        #expect(try config(#"{"preset": "verl", "policy_loss": "cispo"}"#).objective == .cispo)
        #expect(GRPOConfig.trl.nullRewards == .zeroAdvantage && GRPOConfig.trl.beta == 0)
        #expect(GRPOConfig.trl.lossAggregation == .tokenMean)
        #expect(throws: GRPOError.self) { try config(#"{"policy_loss": "kl_cov", "importance_sampling": "sequence"}"#) }
        #expect(throws: GRPOError.self) { try config(#"{"loss_type": "ppo"}"#) }
    }

    @Test func numericGroupIdsCompareLikePython() throws {
        let b = try LossBatch(
            json: JSONParser.parse(
                #"{"logp": [[-1], [-1]], "mask": [[1], [1]], "rewards": [1, 0], "group_ids": [1, 1.0]}"#))
        #expect(b.groups.count == 1)
    }
}
