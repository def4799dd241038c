import Foundation
import RewardModels
import Tensor
import Testing

@Suite("Reward losses")
struct RewardLossTests {
    /// Hand-worked: r_c = (2, 0), r_r = (1, 1), m = (0, 0.5), c = 0.01. d = r_c − r_r − m = (1, −1.5);
    /// −log σ(1) = 0.3132617, −log σ(−1.5) = 1.7014133, mean 1.0073375; centring 0.01 · mean(3², 1²) = 0.05;
    /// loss 1.0573375. ∂/∂r_c,i = −(1 − σ(d_i))/2 + 0.01 · 2(r_c,i + r_r,i)/2 = (−0.1044707, −0.3987872);
    /// ∂/∂r_r,i = +(1 − σ(d_i))/2 + the same centring term = (0.1644707, 0.4187872).
    @Test func pairwiseLossAndGradientMatchTheHandWorkedExample() {
        let chosen = Tensor(shape: [2], values: [2, 0], requiresGrad: true)
        let rejected = Tensor(shape: [2], values: [1, 1], requiresGrad: true)
        let loss = RewardLoss.pairwise(chosen: chosen, rejected: rejected, margins: [0, 0.5], centerCoefficient: 0.01)
        #expect(abs(loss.item - 1.0573375) < 1e-5)
        loss.backward()
        for (g, e) in zip(chosen.grad!, [-0.1044707, -0.3987872] as [Float]) { #expect(abs(g - e) < 1e-5) }
        for (g, e) in zip(rejected.grad!, [0.1644707, 0.4187872] as [Float]) { #expect(abs(g - e) < 1e-5) }
    }

    /// Without margin and centring the loss is TRL's −log σ(r_c − r_r) averaged: log 2 at equal rewards.
    @Test func plainBradleyTerryAtEqualRewardsIsLogTwo() {
        let r = Tensor(shape: [3], values: [0.5, -1, 2])
        let loss = RewardLoss.pairwise(chosen: r, rejected: r)
        #expect(abs(loss.item - Float(log(2.0))) < 1e-6)
    }

    /// softplus stays finite and exact far from zero, where log(1 + eˣ) computed naively overflows.
    @Test func softplusIsStableForLargeInputs() {
        let x = Tensor(shape: [4], values: [100, -100, 0, 3], requiresGrad: true)
        let y = RewardLoss.softplus(x)
        let expected: [Float] = [100, 0, Float(log(2.0)), Float(log1p(exp(3.0)))]
        for (a, b) in zip(y.values, expected) { #expect(abs(a - b) < 1e-5) }
        y.sum().backward()
        let sig: [Float] = [1, 0, 0.5, Float(1 / (1 + exp(-3.0)))]
        for (g, e) in zip(x.grad!, sig) { #expect(abs(g - e) < 1e-5) }
    }

    /// BCE with logits, softplus(r) − y·r per example: y=0, r=0 → log 2 = 0.693147; y=1, r=2 → softplus(2) − 2 =
    /// 0.126928; y=0.5, r=−1 → 0.313262 + 0.5 = 0.813262; mean 0.544446. MSE of the same: (0 + 1 + 2.25)/3 = 1.083333.
    @Test func pointwiseLossesMatchHandValues() {
        let r = Tensor(shape: [3], values: [0, 2, -1])
        #expect(abs(RewardLoss.pointwise(.bce, scores: r, labels: [0, 1, 0.5]).item - 0.544446) < 1e-5)
        #expect(abs(RewardLoss.pointwise(.mse, scores: r, labels: [0, 1, 0.5]).item - 1.083333) < 1e-5)
    }

    /// Accuracy, margin and calibration of four hand-made pairs: margins (2, 0.1, −0.3, 3) → accuracy 3/4,
    /// mean margin 1.2; confidences σ(|m|) = 0.881, 0.525, 0.574, 0.953 fall into bins [0.8,0.9), [0.5,0.6) twice and
    /// [0.9,1.0]; the [0.5,0.6) bin holds one right and one wrong pair.
    @Test func pairEvaluationCountsAndBins() {
        let e = PairEvaluation(chosen: [2, 0.1, 0, 3], rejected: [0, 0, 0.3, 0])
        #expect(e.pairs == 4)
        #expect(abs(e.accuracy - 0.75) < 1e-12)
        #expect(abs(e.marginMean - 1.2) < 1e-12)
        #expect(e.bins.map(\.count) == [2, 0, 0, 1, 1])
        #expect(e.bins[0].accuracy == 0.5)
        #expect(e.bins[3].accuracy == 1 && e.bins[4].accuracy == 1)
        #expect(e.json["calibration"]?.arrayValue?.count == 5)
    }
}
