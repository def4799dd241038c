/// A fixed-size, heap-allocated, zero-initialised run of `Float`s with a stable address.
///
/// Tensors keep their values and gradients here so kernels can work on raw pointers without
/// copy-on-write or exclusivity checks. The memory lives exactly as long as the `Storage` object.
public final class Storage {
    /// Number of floats.
    public let count: Int
    /// First float; valid while `self` is alive.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` floats set to zero.
    public init(count: Int) {
        precondition(count >= 0, "Storage count must be non-negative, got \(count)")
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    /// Allocates `count` floats without clearing them, for outputs an op overwrites completely.
    public init(uninitialized count: Int) {
        precondition(count >= 0, "Storage count must be non-negative, got \(count)")
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
    }

    /// Allocates a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }

    /// The values as an array (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Sets every value to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }
}

/// A raw float pointer that may cross into parallel workers (`Parallel.forEach`, `HotPool`).
///
/// Safe because every parallel loop in this module hands each worker a disjoint range of indices to write,
/// reads only memory no worker writes, and the owning `Storage` outlives the (synchronous) loop.
@usableFromInline
struct SharedPointer: @unchecked Sendable {
    @usableFromInline let p: UnsafeMutablePointer<Float>
    @usableFromInline init(_ p: UnsafeMutablePointer<Float>) { self.p = p }
    @usableFromInline init(_ p: UnsafePointer<Float>) { self.p = UnsafeMutablePointer(mutating: p) }
}
