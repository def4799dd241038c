/// Gradient recording and the reverse pass.
extension Tensor {
    /// Whether ops record history for `backward()`; turn off with `Tensor.withoutGrad` for inference.
    @TaskLocal public static var isGradEnabled: Bool = true

    /// Runs `body` without recording history (inference, sampling, evaluation).
    public static func withoutGrad<R>(_ body: () throws -> R) rethrows -> R {
        try $isGradEnabled.withValue(false) { try body() }
    }

    /// The output of an op over `inputs`: records `backward` when gradients are on and any input needs one.
    /// `backward(out)` must add `out`'s gradient contribution into each input that `requiresGrad`.
    static func result(
        _ shape: [Int], _ storage: Storage, inputs: [Tensor], backward: @escaping (Tensor) -> Void
    ) -> Tensor {
        let track = Tensor.isGradEnabled && inputs.contains { $0.requiresGrad }
        let out = Tensor(shape: shape, storage: storage, requiresGrad: track)
        if track {
            out.parents = inputs
            out.backwardFn = backward
        }
        return out
    }

    /// Reverse-mode differentiation from this tensor.
    ///
    /// Seeds `d self / d self` with `seed` (default: all ones, so a scalar loss gets 1), then visits every
    /// recorded op once in reverse topological order. Gradients of leaves accumulate across calls (call
    /// `zeroGrad()` between steps); intermediate gradients and the history are released afterwards.
    public func backward(seed: [Float]? = nil) {
        precondition(requiresGrad, "backward() on a tensor that does not require grad")
        // Iterative depth-first topological order.
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Bool)] = [(self, false)]
        while let (node, expanded) = stack.popLast() {
            if expanded {
                order.append(node)
                continue
            }
            if !visited.insert(ObjectIdentifier(node)).inserted { continue }
            stack.append((node, true))
            for p in node.parents where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
                stack.append((p, false))
            }
        }
        let g = ensureGrad()
        if let seed {
            precondition(seed.count == count, "seed of \(seed.count) values for shape \(shape)")
            for i in 0..<count { g[i] += seed[i] }
        } else {
            for i in 0..<count { g[i] += 1 }
        }
        for node in order.reversed() {
            guard let fn = node.backwardFn else { continue }
            if node.gradStorage != nil { fn(node) }
            node.backwardFn = nil
            node.parents = []
            if node !== self { node.gradStorage = nil }
        }
    }
}
