/// A dense, row-major float32 tensor that can take part in reverse-mode automatic differentiation.
///
/// Every op (see `Ops/`) is a forward kernel plus a backward kernel, llm.c style. When an op's input
/// `requiresGrad` and gradient recording is on (`Tensor.isGradEnabled`), the output remembers its inputs
/// and a closure that adds the output's gradient into theirs. `backward()` replays those closures in
/// reverse topological order. Shape mismatches between op arguments are programmer errors and trap.
public final class Tensor {
    /// Dimensions, outermost first. A scalar has shape `[]`.
    public let shape: [Int]
    /// Number of elements, the product of `shape`.
    public let count: Int
    /// The values.
    public let storage: Storage
    /// The gradient of the last `backward()` with respect to this tensor (nil until one flows in).
    public internal(set) var gradStorage: Storage?
    /// Whether gradients flow into this tensor (true for parameters).
    public var requiresGrad: Bool
    /// Optional name, used by checkpoints and error messages.
    public var name: String?

    /// Inputs of the op that produced this tensor (empty for leaves).
    var parents: [Tensor] = []
    /// Adds `output.grad`-weighted contributions into the parents' gradients.
    var backwardFn: ((Tensor) -> Void)?

    /// A tensor over existing storage; `storage.count` must equal the product of `shape`.
    public init(shape: [Int], storage: Storage, requiresGrad: Bool = false) {
        let n = shape.reduce(1, *)
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        precondition(storage.count == n, "storage of \(storage.count) floats does not fit shape \(shape)")
        self.shape = shape
        self.count = n
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// A zero tensor of `shape`.
    public convenience init(zeros shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, storage: Storage(count: shape.reduce(1, *)), requiresGrad: requiresGrad)
    }

    /// A tensor of `shape` holding `values` (row-major); `values.count` must equal the product of `shape`.
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fit shape \(shape)")
        self.init(shape: shape, storage: Storage(values), requiresGrad: requiresGrad)
    }

    /// A scalar (shape `[]`).
    public convenience init(scalar: Float, requiresGrad: Bool = false) {
        self.init(shape: [], values: [scalar], requiresGrad: requiresGrad)
    }

    /// A tensor of `shape` filled with `value`.
    public convenience init(filled value: Float, shape: [Int], requiresGrad: Bool = false) {
        self.init(zeros: shape, requiresGrad: requiresGrad)
        storage.pointer.update(repeating: value, count: count)
    }

    /// Normal(0, std²) values drawn from `rng`.
    public convenience init(randomNormal shape: [Int], std: Float, rng: inout Xoshiro256, requiresGrad: Bool = false) {
        self.init(zeros: shape, requiresGrad: requiresGrad)
        var i = 0
        while i < count {  // Box–Muller yields two independent normals per pair of uniforms
            let (a, b) = rng.nextNormalPair()
            storage.pointer[i] = Float(a) * std
            if i + 1 < count { storage.pointer[i + 1] = Float(b) * std }
            i += 2
        }
    }

    /// First value; valid while `self` is alive.
    public var data: UnsafeMutablePointer<Float> { storage.pointer }
    /// The values as an array (a copy).
    public var values: [Float] { storage.array }
    /// The single value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, shape is \(shape)")
        return storage.pointer[0]
    }
    /// The gradient as an array (a copy), or nil.
    public var grad: [Float]? { gradStorage?.array }

    /// The gradient buffer, allocated (zeroed) on first use.
    public func ensureGrad() -> UnsafeMutablePointer<Float> {
        if let g = gradStorage { return g.pointer }
        let g = Storage(count: count)
        gradStorage = g
        return g.pointer
    }

    /// The gradient buffer for a backward pass that writes all of it: `fresh` when this call allocated it, in
    /// which case its values are undefined and the caller must overwrite every one (e.g. a product with β = 0)
    /// instead of adding into it. Saves clearing a buffer that is about to be overwritten.
    func gradBuffer() -> (pointer: UnsafeMutablePointer<Float>, fresh: Bool) {
        if let g = gradStorage { return (g.pointer, false) }
        let g = Storage(uninitialized: count)
        gradStorage = g
        return (g.pointer, true)
    }

    /// Forgets the gradient.
    public func zeroGrad() { gradStorage = nil }

    /// A new leaf tensor with a copy of the values and no history.
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: Storage(values), requiresGrad: false)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = values.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(\(name.map { "\($0), " } ?? "")shape: \(shape), [\(head)\(count > 8 ? ", …" : "")])"
    }
}
