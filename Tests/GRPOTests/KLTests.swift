import Foundation
import Testing

@testable import GRPO

@Suite struct KLTests {
    // logp = −1, ref = −1.5: x = logp − ref = 0.5.
    @Test func estimatorsOnAWorkedExample() {
        let k1 = GRPOConfig.KLEstimator.k1.evaluate(logp: -1, ref: -1.5, logRatioClamp: nil, klClamp: nil)
        let k2 = GRPOConfig.KLEstimator.k2.evaluate(logp: -1, ref: -1.5, logRatioClamp: nil, klClamp: nil)
        let k3 = GRPOConfig.KLEstimator.k3.evaluate(logp: -1, ref: -1.5, logRatioClamp: nil, klClamp: nil)
        #expect(k1.value == 0.5 && k1.dLogp == 1)
        #expect(k2.value == 0.125 && k2.dLogp == 0.5)
        // k3 = e^(−0.5) + 0.5 − 1; d/dlogp = 1 − e^(−0.5).
        #expect(close(k3.value, exp(-0.5) - 0.5))
        #expect(close(k3.dLogp, 1 - exp(-0.5)))
    }

    @Test func verlClampsK3() {
        // ref − logp = 30 is clamped to 20; e^20 − 21 > 10 is clamped to 10; neither passes gradient.
        let k = GRPOConfig.KLEstimator.k3.evaluate(logp: -31, ref: -1, logRatioClamp: 20, klClamp: 10)
        #expect(k.value == 10 && k.dLogp == 0)
        let unclamped = GRPOConfig.KLEstimator.k3.evaluate(logp: -31, ref: -1, logRatioClamp: nil, klClamp: nil)
        #expect(close(unclamped.value, exp(30) - 31))
    }

    @Test(arguments: GRPOConfig.KLEstimator.allCases)
    func derivativeMatchesFiniteDifferences(estimator: GRPOConfig.KLEstimator) {
        for (logp, ref) in [(-1.0, -1.5), (-2.0, -0.3), (-0.1, -0.1)] {
            let h = 1e-6
            let up = estimator.evaluate(logp: logp + h, ref: ref, logRatioClamp: 20, klClamp: 10).value
            let down = estimator.evaluate(logp: logp - h, ref: ref, logRatioClamp: 20, klClamp: 10).value
            let d = estimator.evaluate(logp: logp, ref: ref, logRatioClamp: 20, klClamp: 10).dLogp
            #expect(close(d, (up - down) / (2 * h), 1e-7))
        }
    }
}
