import Testing

@testable import GRPO

@Suite struct AggregationTests {
    // Rows with 2, 1 and 0 tokens: N = 3 tokens, B = 3 rows, B' = 2 non-empty rows, L_max = 4.
    static let mask: [[Double]] = [[1, 1, 0], [1, 0, 0], [0, 0, 0]]

    static let cases: [(String, String, [Double])] = [
        ("token-mean", "trl", [1.0 / 3, 1.0 / 3]),
        ("token-mean", "verl", [1.0 / 3, 1.0 / 3]),
        ("seq-mean-token-mean", "trl", [1.0 / 6, 1.0 / 3]),  // TRL grpo: mean over all 3 rows of row means
        ("seq-mean-token-mean", "verl", [1 / (2 * (2 + 1e-8)), 1 / (2 * (1 + 1e-8))]),  // verl: 2 non-empty rows
        ("seq-mean-token-sum", "trl", [1.0 / 3, 1.0 / 3]),
        ("seq-mean-token-sum", "verl", [1.0 / 2, 1.0 / 2]),
        ("seq-mean-token-sum-norm", "trl", [1.0 / 12, 1.0 / 12]),  // TRL dr_grpo: rows × max_completion_length
        // verl since PRs #5366 / #5417: the seq-mean over B' = 2 non-empty rows, then / loss_scale_factor
        ("seq-mean-token-sum-norm", "verl", [1.0 / 8, 1.0 / 8]),
    ]

    @Test(arguments: cases)
    func weights(mode: String, normalizers: String, rowWeights: [Double]) throws {
        let config = GRPOConfig().with {
            $0.lossAggregation = GRPOConfig.LossAggregation(rawValue: mode)!
            $0.normalizers = GRPOConfig.Normalizers(rawValue: normalizers)!
            $0.maxCompletionLength = 4
        }
        let w = Aggregation.weights(mask: Self.mask, config: config)
        #expect(close(w[0], [rowWeights[0], rowWeights[0], 0]))
        #expect(close(w[1], [rowWeights[1], 0, 0]))
        #expect(w[2] == [0, 0, 0])
    }

    @Test func drGRPOWithoutALengthUsesTheColumnCount() {
        let config = GRPOConfig().with {
            $0.lossAggregation = .seqMeanTokenSumNorm
            $0.normalizers = .verl
        }
        #expect(Aggregation.weights(mask: Self.mask, config: config)[0][0] == 1.0 / (2 * 3))
    }

    @Test func anEmptyBatchHasZeroWeights() {
        for mode in GRPOConfig.LossAggregation.allCases {
            let w = Aggregation.weights(mask: [[0, 0]], config: GRPOConfig().with { $0.lossAggregation = mode })
            #expect(w == [[0, 0]])
        }
    }
}
