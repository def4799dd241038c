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
            advantage_estimator (grpo, rloo, reinforce_plus_plus, reinforce_plus_plus_baseline, gae), gamma, lam, \
            kl_in_reward (+ kl_ctrl fixed or adaptive, kl_target, kl_horizon), policy_loss (vanilla, gspo, cispo, \
            kl_cov, clip_cov), loss_type (TRL: grpo, bnpo, dr_grpo, \
            dapo, cispo, sapo, luspo, vespo), multi_objective_aggregation, reward_weights, value_clip, ...}; \
            rewards may be rows × reward functions; values? and old_values? (rows × tokens) give the value loss.
            Output: {loss, pg_loss, kl, entropy, advantages ([B], or [B][T] for token-level estimators), returns, \
            clip_frac: {low, high, region, dual}, metrics, kl_in_reward: {penalty, coef, coef_next}, value_loss, \
            vf_clipfrac}.
            With --jsonl, every input line is one batch and gets one output line: the result or {"error": ...}.
            """
    )

    @Flag(help: "Also print grad_logp (d loss / d logp) and grad_entropy (d loss / d entropy).")
    var gradients = false

    @Flag(help: "Read one batch per line and print one result (or {\"error\": ...}) per line.")
    var jsonl = false

    func run() throws {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        if jsonl {
            var failed = 0
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n")
            where !line.allSatisfy(\.isWhitespace) {
                do {
                    let json = try JSONParser.parse(String(line))
                    print(try LossBatch(json: json).evaluate().json(gradients: gradients).jsonText)
                } catch {
                    failed += 1
                    let message: JSON = ["error": .string("\(error)")]
                    print(message.jsonText)
                }
            }
            if failed > 0 { throw ExitCode(1) }
            return
        }
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
