import Tensor
import Testing

/// One finite-difference case: an op applied to random inputs of `shapes`.
struct GradCase: Sendable, CustomTestStringConvertible {
    let id: String
    let shapes: [[Int]]
    var positive = false
    var tolerance = 1e-3
    /// Finite-difference step; small for ops with kinks so no step crosses one.
    var eps: Float = 1e-2
    let f: @Sendable ([Tensor]) -> Tensor
    var testDescription: String { id }
}

private let valid: [Bool] = [true, true, true, false, false, true, true, true]  // B=2 × S=4

let gradCases: [GradCase] = [
    GradCase(id: "add same shape", shapes: [[3, 4], [3, 4]]) { $0[0] + $0[1] },
    GradCase(id: "add bias broadcast", shapes: [[3, 4], [4]]) { $0[0] + $0[1] },
    GradCase(id: "sub column broadcast", shapes: [[2, 3], [2, 1]]) { $0[0] - $0[1] },
    GradCase(id: "mul both broadcast", shapes: [[2, 1, 3], [4, 1]]) { $0[0] * $0[1] },
    GradCase(id: "div", shapes: [[3, 4], [3, 4]], positive: true) { $0[0] / $0[1] },
    GradCase(id: "minimum", shapes: [[5, 3], [5, 3]], eps: 1e-3) { Tensor.minimum($0[0], $0[1]) },
    GradCase(id: "maximum", shapes: [[5, 3], [3]], eps: 1e-3) { Tensor.maximum($0[0], $0[1]) },
    GradCase(id: "select", shapes: [[4, 3], [4, 3]]) { x in
        Tensor.select(Tensor(shape: [4, 3], values: (0..<12).map { Float($0 % 2) }), x[0], x[1])
    },
    GradCase(id: "scalar ops", shapes: [[6]]) { x in (2 - x[0] * 3 + 1) / 4 },
    GradCase(id: "neg", shapes: [[6]]) { x in -x[0] },
    GradCase(id: "exp", shapes: [[7]]) { $0[0].exp() },
    GradCase(id: "log", shapes: [[7]], positive: true) { $0[0].log() },
    GradCase(id: "square", shapes: [[7]]) { $0[0].square() },
    GradCase(id: "sqrt", shapes: [[7]], positive: true) { $0[0].sqrt() },
    GradCase(id: "abs", shapes: [[7]]) { $0[0].abs() },
    GradCase(id: "sigmoid", shapes: [[7]]) { $0[0].sigmoid() },
    GradCase(id: "silu", shapes: [[7]]) { $0[0].silu() },
    GradCase(id: "clamp", shapes: [[9]]) { $0[0].clamped(min: -0.55, max: 0.65) },
    GradCase(id: "sum", shapes: [[3, 4]]) { $0[0].sum() },
    GradCase(id: "mean", shapes: [[3, 4]]) { $0[0].mean() },
    GradCase(id: "sum axis 0", shapes: [[3, 4, 2]]) { $0[0].sum(axis: 0) },
    GradCase(id: "mean axis -1", shapes: [[3, 4, 2]]) { $0[0].mean(axis: -1) },
    GradCase(id: "reshape", shapes: [[3, 4]]) { $0[0].reshaped([2, 6]) * $0[0].reshaped([2, 6]) },
    GradCase(id: "broadcast to", shapes: [[3, 1]]) { $0[0].broadcast(to: [2, 3, 4]).square() },
    GradCase(id: "linear with bias", shapes: [[2, 3, 5], [4, 5], [4]]) { Tensor.linear($0[0], $0[1], bias: $0[2]) },
    GradCase(id: "linear without bias", shapes: [[6, 5], [3, 5]]) { Tensor.linear($0[0], $0[1]) },
    GradCase(id: "matmul", shapes: [[3, 5], [5, 2]]) { Tensor.matmul($0[0], $0[1]) },
    GradCase(id: "embedding with repeated ids", shapes: [[6, 4]]) {
        Tensor.embedding($0[0], ids: [1, 3, 3, 0, 5, 1], shape: [2, 3])
    },
    GradCase(id: "rmsnorm", shapes: [[3, 8], [8]]) { Tensor.rmsNorm($0[0], weight: $0[1], eps: 1e-5) },
    GradCase(id: "rope", shapes: [[2, 3, 8]]) {
        Tensor.rope($0[0], positions: [0, 1, 2, 5, 6, 7], heads: 2, headDim: 4, theta: 10_000)
    },
    GradCase(id: "swiglu", shapes: [[3, 5], [3, 5]]) { Tensor.swiglu(gate: $0[0], up: $0[1]) },
    GradCase(id: "attention causal MHA", shapes: [[2, 4, 8], [2, 4, 8], [2, 4, 8]]) {
        Tensor.attention(q: $0[0], k: $0[1], v: $0[2], heads: 2, kvHeads: 2)
    },
    GradCase(id: "attention GQA 4 heads over 2 kv heads", shapes: [[2, 3, 16], [2, 3, 8], [2, 3, 8]]) {
        Tensor.attention(q: $0[0], k: $0[1], v: $0[2], heads: 4, kvHeads: 2)
    },
    GradCase(id: "attention padding mask", shapes: [[2, 4, 8], [2, 4, 4], [2, 4, 4]]) {
        Tensor.attention(q: $0[0], k: $0[1], v: $0[2], heads: 2, kvHeads: 1, mask: AttentionMask(keyValid: valid))
    },
    GradCase(id: "attention cached keys with offset", shapes: [[2, 2, 8], [2, 5, 8], [2, 5, 8]]) {
        Tensor.attention(
            q: $0[0], k: $0[1], v: $0[2], heads: 2, kvHeads: 2, keyLength: 4,
            mask: AttentionMask(queryOffset: 2))
    },
    GradCase(id: "attention over several causal blocks", shapes: [[1, 70, 4], [1, 70, 2], [1, 70, 2]]) {
        Tensor.attention(q: $0[0], k: $0[1], v: $0[2], heads: 2, kvHeads: 1)
    },
    GradCase(id: "narrow middle axis", shapes: [[2, 5, 3]]) { $0[0].narrow(axis: 1, start: 1, length: 3) },
    GradCase(id: "softmax", shapes: [[3, 6]]) { $0[0].softmax() },
    GradCase(id: "log softmax", shapes: [[3, 6]]) { $0[0].logSoftmax() },
    GradCase(id: "gather log probs", shapes: [[4, 7]]) { Tensor.gatherLogProbs($0[0], targets: [0, 6, 3, 3]) },
    GradCase(id: "entropy", shapes: [[2, 2, 7]]) { $0[0].entropy() },
    // An input read by two ops: the first backward writes its gradient buffer, the second adds into it.
    GradCase(id: "add same tensor", shapes: [[3, 4]]) { $0[0] + $0[0] },
    GradCase(id: "linear input used twice", shapes: [[4, 5], [3, 5], [3, 5]]) {
        Tensor.linear($0[0], $0[1]) * Tensor.linear($0[0], $0[2])
    },
    GradCase(id: "rmsnorm with residual", shapes: [[3, 8], [8]]) {
        $0[0] + Tensor.rmsNorm($0[0], weight: $0[1], eps: 1e-5)
    },
    GradCase(id: "rope input used twice", shapes: [[2, 8]]) {
        Tensor.rope($0[0], positions: [3, 4], heads: 2, headDim: 4, theta: 10_000) * $0[0].square()
    },
    GradCase(id: "swiglu of one tensor", shapes: [[3, 5]]) { Tensor.swiglu(gate: $0[0], up: $0[0]) },
]

@Suite("Finite-difference gradients of every op")
struct OpGradientTests {
    @Test(arguments: gradCases)
    func gradientMatchesFiniteDifferences(_ c: GradCase) {
        let inputs = GradCheck.inputs(c.shapes, seed: 7, positive: c.positive)
        let err = GradCheck.maxRelativeError(inputs, eps: c.eps, c.f)
        print("gradcheck \(c.id): max relative error \(err)")
        #expect(err < c.tolerance, "\(c.id): relative error \(err)")
    }

    /// Inputs large enough for the ops' multi-core paths (residual add, RMSNorm's weight gradient, RoPE,
    /// SwiGLU), checked on a sample of elements.
    @Test func largeInputsTakeTheParallelPaths() {
        let cases: [(String, [[Int]], ([Tensor]) -> Tensor)] = [
            ("add", [[512, 260], [512, 260]], { $0[0] + $0[1] }),
            ("rmsnorm", [[520, 128], [128]], { Tensor.rmsNorm($0[0], weight: $0[1], eps: 1e-5) }),
            (
                "rope", [[4100, 16]],
                { Tensor.rope($0[0], positions: (0..<4100).map { Int32($0 % 97) }, heads: 4, headDim: 4, theta: 100) }
            ),
            ("swiglu", [[40, 1000], [40, 1000]], { Tensor.swiglu(gate: $0[0], up: $0[1]) }),
        ]
        for (id, shapes, f) in cases {
            let inputs = GradCheck.inputs(shapes, seed: 11, positive: false)
            let err = GradCheck.maxRelativeError(inputs, maxElements: 6, f)
            #expect(err < 1e-3, "\(id): relative error \(err)")
        }
    }
}
