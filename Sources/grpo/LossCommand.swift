import ArgumentParser
import Foundation
import GRPO
import RewardKit

/// `grpo loss`: the GRPO loss of one JSON batch, to cross-check Arbiter against TRL and verl.
struct LossCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss",
        abstract: "Compute the GRPO loss and its parts for one JSON batch read on standard input.",
        discussion: """
            Input fields: logp, old_logp?, ref_logp?, mask (rows × tokens), rewards (number or null per row), \
            group_size or group_ids, logits? (rows × tokens × vocab, for the entropy), config {preset (default, \
            trl, verl, dapo), epsilon_low, epsilon_high, dual_clip, delta, beta, kl_estimator (k1, k2, k3), \
            scale_rewards (group, batch, none), loss_aggregation (token-mean, seq-mean-token-mean, \
            seq-mean-token-sum, seq-mean-token-sum-norm; or TRL's loss_type), max_completion_length, \
            importance_sampling (token, sequence), entropy_coef, temperature, ...}.
            Output: {loss, pg_loss, kl, entropy, advantages, clip_frac: {low, high, region, dual}}.
            """
    )

    @Flag(help: "Also print grad_logp (d loss / d logp) and grad_entropy (d loss / d entropy).")
    var gradients = false

    func run() throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        let json: JSON
        do {
            json = try JSONParser.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw GRPOError("standard input is not valid JSON: \(error)")
        }
        let report = try LossBatch(json: json).evaluate()
        print(report.json(gradients: gradients).jsonText)
    }
}
