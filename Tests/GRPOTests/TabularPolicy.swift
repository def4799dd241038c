import Foundation
import GRPO

/// A tiny policy for tests: completions of `length` tokens, each drawn independently from softmax(θ[position] / T)
/// over `actions` tokens (the prompt is ignored). Its backward pass is written by hand:
/// d logp(a) / d θ_b = (δ_ab − p_b) / T and d H / d θ_b = −p_b (log p_b + H) / T. Plain SGD.
struct TabularPolicy: Policy {
    var theta: [[Double]]
    var learningRate: Double
    var rng: SplitMix

    init(length: Int, actions: Int, learningRate: Double, seed: UInt64) {
        theta = Array(repeating: Array(repeating: 0, count: actions), count: length)
        self.learningRate = learningRate
        rng = SplitMix(seed: seed)
    }

    func probabilities(_ position: Int, temperature: Double) -> [Double] {
        let z = theta[position].map { $0 / temperature }
        let m = z.max()!
        let e = z.map { exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    mutating func generate(prompt: [Int], count: Int, maxTokens: Int, temperature: Double) throws -> [Rollout] {
        (0..<count).map { _ in
            var tokens: [Int] = []
            var logps: [Double] = []
            for position in 0..<min(maxTokens, theta.count) {
                let p = probabilities(position, temperature: temperature)
                var u = Double.random(in: 0..<1, using: &rng)
                var a = p.count - 1
                for (i, pi) in p.enumerated() {
                    if u < pi {
                        a = i
                        break
                    }
                    u -= pi
                }
                tokens.append(a)
                logps.append(log(p[a]))
            }
            return Rollout(prompt: prompt, tokens: tokens, logProbs: logps, truncated: false)
        }
    }

    func score(_ rollouts: [Rollout], temperature: Double, entropies: Bool) throws -> TokenScores {
        let logp = rollouts.map { r in
            r.tokens.enumerated().map { t, a in log(probabilities(t, temperature: temperature)[a]) }
        }
        let h = rollouts.map { r in
            r.tokens.indices.map { t in -probabilities(t, temperature: temperature).reduce(0) { $0 + $1 * log($1) } }
        }
        return TokenScores(logProbs: logp, entropies: entropies ? h : nil)
    }

    /// d (Σ gradLogProbs·logp + Σ gradEntropies·H) / dθ.
    func gradient(_ rollouts: [Rollout], temperature: Double, gradLogProbs: [[Double]], gradEntropies: [[Double]]?)
        -> [[Double]]
    {
        var g = theta.map { $0.map { _ in 0.0 } }
        for (i, r) in rollouts.enumerated() {
            for (t, a) in r.tokens.enumerated() {
                let p = probabilities(t, temperature: temperature)
                let entropy = -p.reduce(0) { $0 + $1 * log($1) }
                for b in p.indices {
                    g[t][b] += gradLogProbs[i][t] * ((a == b ? 1 : 0) - p[b]) / temperature
                    if let ge = gradEntropies {
                        g[t][b] += ge[i][t] * (-p[b] * (log(p[b]) + entropy)) / temperature
                    }
                }
            }
        }
        return g
    }

    mutating func update(
        _ rollouts: [Rollout], temperature: Double, entropies: Bool,
        seeds: (TokenScores) throws -> (gradLogProbs: [[Double]], gradEntropies: [[Double]]?)
    ) throws {
        let (gradLogProbs, gradEntropies) = try seeds(score(rollouts, temperature: temperature, entropies: entropies))
        let g = gradient(rollouts, temperature: temperature, gradLogProbs: gradLogProbs, gradEntropies: gradEntropies)
        for t in theta.indices { for b in theta[t].indices { theta[t][b] -= learningRate * g[t][b] } }
    }

    func snapshot() -> ([[Double]], SplitMix) { (theta, rng) }
    mutating func restore(_ s: ([[Double]], SplitMix)) { (theta, rng) = s }
}

extension SplitMix: @unchecked Sendable {}
