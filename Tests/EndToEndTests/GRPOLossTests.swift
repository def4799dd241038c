import Foundation
import GRPO
import RewardKit
import Testing

@Suite struct GRPOLossTests {
    static let batch = """
        {"logp": [[-1, -2], [-0.5, -3]], "old_logp": [[-1.4054651, -2.0953102], [0.1931472, -3]],
         "ref_logp": [[-1.2, -2.2], [-0.7, -3.2]], "mask": [[1, 1], [1, 0]], "rewards": [1, 0], "group_size": 2,
         "logits": [[[1, 2, 0], [0, 0, 0]], [[3, 1, 1], [0, 5, 1]]],
         "config": {"preset": "verl", "beta": 0.1, "kl_estimator": "k1", "entropy_coef": 0.01}}
        """

    @Test func printsTheLossAndItsPartsAsTheLibraryComputesThem() async throws {
        let out = try await Binary("grpo").run(["loss"], stdin: Self.batch)
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(try JSONParser.parse(out.stdout).objectValue)
        #expect(
            json.keys == [
                "loss", "pg_loss", "kl", "entropy", "advantages", "returns", "clip_frac", "metrics", "kl_in_reward",
                "value_loss", "vf_clipfrac",
            ])
        let expected = try LossBatch(json: JSONParser.parse(Self.batch)).evaluate().result
        #expect(json["loss"]?.doubleValue == expected.loss)
        #expect(json["kl"]?.doubleValue == expected.kl)
        // Two rewards 1, 0: mean 0.5, std sqrt(0.5) (n − 1); verl's ε = 1e-6.
        let a = 0.5 / (0.5.squareRoot() + 1e-6)
        #expect(json["advantages"] == .array([.double(a), .double(-a)]))
        #expect(out.lines.count == 1)
    }

    @Test func gradientsOnRequest() async throws {
        let out = try await Binary("grpo").run(["loss", "--gradients"], stdin: Self.batch)
        #expect(out.status == 0, "\(out.stderr)")
        let json = try #require(try JSONParser.parse(out.stdout).objectValue)
        #expect(json["grad_logp"]?.arrayValue?.map { $0.arrayValue?.count } == [2, 2])
        #expect(json["grad_entropy"]?.arrayValue?.count == 2)
    }

    @Test(arguments: [
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "config": {"kl_estimator": "k4"}}"#,
            #"config.kl_estimator must be one of k1, k2, k3, kl, low_var_kl, mse, got "k4""#
        ),
        (
            #"{"logp": [[-1]], "mask": [[1]], "rewards": [1], "group_size": 1, "config": {"beta": 0.1}}"#,
            "config.beta is 0.1 but ref_logp is missing"
        ),
        ("{not json", "standard input is not valid JSON"),
    ])
    func badInputExitsNonZeroNamingTheProblem(input: String, message: String) async throws {
        let out = try await Binary("grpo").run(["loss"], stdin: input)
        #expect(out.status != 0)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr.contains(message), "\(out.stderr)")
    }
}
