import Tensor

/// The losses a reward model trains with.
public enum RewardLoss {
    /// softplus(x) = log(1 + eˣ), computed stably as max(x, 0) + log(1 + e^−|x|); −log σ(x) = softplus(−x).
    public static func softplus(_ x: Tensor) -> Tensor {
        Tensor.maximum(x, Tensor(zeros: x.shape)) + ((-(x.abs())).exp() + 1).log()
    }

    /// The pairwise (Bradley–Terry) loss of TRL's `RewardTrainer.compute_loss`:
    /// mean_i −log σ(r_c,i − r_r,i − m_i) + c · mean_i (r_c,i + r_r,i)².
    ///
    /// `margins` m (nil = 0) is Llama 2's margin (Touvron et al. 2023, Eq. 2); `centerCoefficient` c (0 = off) is
    /// TRL's `center_rewards_coefficient`, from Eisenstein et al. 2023, which keeps rewards centred on zero.
    /// Shapes: chosen, rejected [N]; margins N values.
    public static func pairwise(
        chosen: Tensor, rejected: Tensor, margins: [Float]? = nil, centerCoefficient: Float = 0
    ) -> Tensor {
        precondition(chosen.shape == rejected.shape && chosen.shape.count == 1, "pairwise: shapes must be [N]")
        var difference = chosen - rejected
        if let margins {
            precondition(margins.count == chosen.count, "pairwise: \(margins.count) margins for \(chosen.count) pairs")
            difference = difference - Tensor(shape: chosen.shape, values: margins)
        }
        var loss = softplus(-difference).mean()
        if centerCoefficient != 0 { loss = loss + (chosen + rejected).square().mean() * centerCoefficient }
        return loss
    }

    /// The pointwise loss for outcome labels (outcome supervision).
    public enum Pointwise: String, Sendable, CaseIterable {
        /// Binary cross-entropy with logits, mean_i softplus(r_i) − y_i·r_i (PyTorch `BCEWithLogitsLoss`), for labels
        /// in [0, 1] (0/1 verdicts, or fractions such as a share of tests passed); σ(r) estimates P(correct).
        case bce
        /// Squared error mean_i (r_i − y_i)², regression onto any real-valued score.
        case mse
    }

    /// The pointwise loss of `scores` [N] against `labels` (N values).
    public static func pointwise(_ kind: Pointwise, scores: Tensor, labels: [Float]) -> Tensor {
        precondition(scores.shape == [labels.count], "pointwise: scores \(scores.shape) for \(labels.count) labels")
        let y = Tensor(shape: scores.shape, values: labels)
        switch kind {
        case .bce: return (softplus(scores) - scores * y).mean()
        case .mse: return (scores - y).square().mean()
        }
    }
}
