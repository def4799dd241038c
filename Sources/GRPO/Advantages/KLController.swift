/// The coefficient of the KL penalty in the reward, verl's `kl_ctrl` (verl-project/verl@1dda039b, core_algos.py
/// `FixedKLController`, `AdaptiveKLController`, `get_kl_controller`; after Ziegler et al., arXiv:1909.08593):
///
///     fixed:     β stays `kl_in_reward`
///     adaptive:  e = clip(KL / KL_target − 1, −0.2, 0.2),   β ← β · (1 + e · n / horizon)
///
/// where KL is the batch's `actor/reward_kl_penalty` (the mean over rows of each row's masked-mean k(old, ref)) and
/// n the number of rows of the batch, as `apply_kl_penalty` calls `kl_ctrl.update(current_kl, n_steps=batch_size)`
/// after using the current β for the batch's rewards.
public struct KLController: Sendable, Equatable, Codable {
    /// β, the coefficient used for the next batch.
    public var value: Double
    public var kind: GRPOConfig.KLControl
    public var target: Double
    public var horizon: Int

    /// The controller a run starts with: β = `kl_in_reward`.
    public init(config: GRPOConfig) {
        (value, kind, target, horizon) = (config.klInReward, config.klControl, config.klTarget, config.klHorizon)
    }

    /// Moves β after a batch of `rows` rows whose reward KL was `currentKL` (no-op for the fixed controller).
    public mutating func update(currentKL: Double, rows: Int) {
        guard kind == .adaptive else { return }
        let error = min(max(currentKL / target - 1, -0.2), 0.2)
        value *= 1 + error * Double(rows) / Double(horizon)
    }
}

extension GRPOConfig {
    /// verl `algorithm.kl_ctrl.type`.
    public enum KLControl: String, Sendable, CaseIterable, Codable {
        case fixed
        case adaptive
    }
}
