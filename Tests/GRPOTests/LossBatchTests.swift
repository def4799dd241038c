import Foundation
import RewardKit
import Testing

@testable import GRPO

@Suite struct LossBatchTests {
    func batch(_ text: String) throws -> LossBatch { try LossBatch(json: JSONParser.parse(text)) }

    static let good = """
        {"logp": [[-1, -2], [-0.5, -3], [-1, -1], [-2, -2]],
         "old_logp": [[-1.1, -2], [-0.4, -3], [-1, -1.2], [-2, -2]],
         "ref_logp": [[-1.2, -2.1], [-0.5, -2.9], [-1, -1], [-2.5, -2]],
         "mask": [[1, 1], [true, false], [1, 1], [0, 0]],
         "rewards": [1, 0, null, 0.5], "group_size": 2,
         "logits": [[[1, 2], [0, 0]], [[3, 1], [0, 5]], [[1, 1], [2, 0]], [[0, 1], [1, 0]]],
         "config": {"preset": "trl", "beta": 0.04, "loss_type": "grpo", "temperature": 0.7}}
        """

    @Test func evaluatesTheSameAsTheLibraryCalls() throws {
        let b = try batch(Self.good)
        #expect(b.config.lossAggregation == .seqMeanTokenMean)
        #expect(b.mask[1] == [1, 0])
        let report = try b.evaluate()
        let adv = try GroupAdvantages(rewards: [1, 0, nil, 0.5], groups: Groups(count: 4, size: 2), config: b.config)
        let entropy = b.logits!.map { $0.map { TokenEntropy.fromLogits($0, temperature: 0.7) } }
        let direct = try PolicyLoss.compute(
            .init(
                logp: b.logp, oldLogp: b.oldLogp, refLogp: b.refLogp, mask: b.mask, entropy: entropy,
                advantages: adv.values, included: adv.included),
            config: b.config)
        #expect(report.result.loss == direct.loss)
        #expect(report.estimate.rows == adv.values)
        let json = report.json().objectValue!
        #expect(
            json.keys == [
                "loss", "pg_loss", "kl", "entropy", "advantages", "returns", "clip_frac", "metrics", "kl_in_reward",
                "value_loss", "vf_clipfrac",
            ])
        #expect(json["clip_frac"]?.objectValue?.keys == ["low", "high", "region", "dual"])
        #expect(json["loss"]?.doubleValue == direct.loss)
        #expect(report.json(gradients: true).objectValue?["grad_logp"]?.arrayValue?.count == 4)
    }

    /// verl's adaptive `kl_ctrl` through `grpo loss`: KL = mean over rows of each row's masked-mean k1(old, ref) =
    /// (0.25 + 0) / 2 = 0.125; e = clip(0.125 / 0.1 − 1, ±0.2) = 0.2; coef_next = 0.1·(1 + 0.2·2/4) = 0.11.
    @Test func adaptiveKLControllerGivesTheNextCoefficient() throws {
        let text = """
            {"logp": [[-1, -2], [-1, -1]], "ref_logp": [[-1.5, -2], [-1, -3]], "mask": [[1, 1], [1, 0]],
             "rewards": [1, 0], "group_size": 2,
             "config": {"preset": "verl", "kl_in_reward": 0.1, "kl_estimator": "k1", "kl_ctrl": "adaptive",
                        "kl_target": 0.1, "kl_horizon": 4}}
            """
        let kl = try batch(text).evaluate().json().objectValue?["kl_in_reward"]?.objectValue
        #expect(close(kl?["penalty"]?.doubleValue ?? 0, 0.125, 1e-7))
        #expect(kl?["coef"]?.doubleValue == 0.1)
        #expect(close(kl?["coef_next"]?.doubleValue ?? 0, 0.11, 1e-12))
        let fixed = try batch(text.replacingOccurrences(of: "adaptive", with: "fixed")).evaluate().json()
        #expect(fixed.objectValue?["kl_in_reward"]?.objectValue?["coef_next"]?.doubleValue == 0.1)
    }

    @Test func configOverridesItsPreset() throws {
        let c = try GRPOConfig(
            json: JSONParser.parse(
                #"{"preset": "verl", "epsilon": 0.1, "epsilon_high": 0.3, "dual_clip": null, "kl_estimator": "low_var_kl", "scale_rewards": false, "max_completion_length": 64}"#
            ).objectValue!)
        #expect(c.epsilonLow == 0.1 && c.epsilonHigh == 0.3)
        #expect(c.dualClip == nil)
        #expect(c.klEstimator == .k3)
        #expect(c.scaleRewards == .none)
        #expect(c.maxCompletionLength == 64)
        #expect(c.advantageEpsilon == 1e-6 && c.logRatioClamp == 20 && c.normalizers == .verl)
    }

    @Test(arguments: [
        ("grpo", GRPOConfig.LossAggregation.seqMeanTokenMean), ("bnpo", .tokenMean), ("dapo", .tokenMean),
        ("dr_grpo", .seqMeanTokenSumNorm),
    ])
    func trlLossTypes(name: String, mode: GRPOConfig.LossAggregation) throws {
        let c = try GRPOConfig(json: JSONParser.parse(#"{"preset": "trl", "loss_type": "\#(name)"}"#).objectValue!)
        #expect(c.lossAggregation == mode)
    }

    static let badBatches: [(String, String)] = [
        (#"[1]"#, "the batch must be a JSON object, got an array"),
        (#"{"mask": [[1]], "rewards": [1], "group_size": 1}"#, #"missing field "logp" (rows × tokens)"#),
        (
            #"{"logp": [[-1, "x"]], "mask": [[1, 1]], "rewards": [1], "group_size": 1}"#,
            #"logp[0][1] must be a number, got "x""#
        ),
        (#"{"logp": [[-1]], "mask": [[2]], "rewards": [1], "group_size": 1}"#, "mask[0][0] must be 0 or 1, got 2.0"),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": ["1"], "group_size": 1}"#,
            #"rewards[0] must be a number or null, got "1""#
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1, 0], "group_size": 1}"#,
            "rewards has 2 entries but mask has 1 rows"
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1]}"#,
            #"give "group_size" (samples per prompt) or "group_ids" (one id per row)"#
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "group_ids": [1]}"#,
            #"give either "group_size" or "group_ids", not both"#
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_ids": [[1]]}"#,
            "group_ids[0] must be a string or a number, got [1]"
        ),
        (
            #"{"logp": [[-1], [-1]], "mask": [[1], [1]], "rewards": [1, 0], "group_size": 3}"#,
            "group_size 3 does not divide the number of rows 2"
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "logits": [[[1], [2]]]}"#,
            "logits[0] has 2 tokens but mask[0] has 1"
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "lgp": 1}"#,
            #"unknown field "lgp"; known fields: logp, old_logp, ref_logp, mask, rewards, group_size, group_ids, logits, config, values, old_values"#
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "config": {"preset": "openrlhf"}}"#,
            #"config.preset must be one of default, trl, verl, dapo, got "openrlhf""#
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "config": {"loss_aggregation": "mean"}}"#,
            #"config.loss_aggregation must be one of token-mean, seq-mean-token-mean, seq-mean-token-sum, seq-mean-token-sum-norm, luspo, bnpo, dapo, dr_grpo, grpo, got "mean""#
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "config": {"epsilon_low": 1.5}}"#,
            "config.epsilon_low must be in [0, 1), got 1.5"
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "config": {"temprature": 1}}"#,
            #"unknown field "config.temprature"; known fields: "#
        ),
    ]

    @Test(arguments: badBatches)
    func badBatchesNameTheFieldAndValue(input: String, message: String) throws {
        do {
            _ = try batch(input).evaluate()
            Issue.record("accepted \(input)")
        } catch let e as GRPOError {
            #expect(e.message.hasPrefix(message), "\(e.message)")
        }
    }
}
