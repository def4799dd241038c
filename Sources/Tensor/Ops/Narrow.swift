/// Slicing along one axis.
extension Tensor {
    /// Elements `start..<start+length` along `axis` (negative counts from the end); other axes are kept.
    /// Backward scatters the gradient back into that slice.
    public func narrow(axis: Int, start: Int, length: Int) -> Tensor {
        let ax = axis < 0 ? axis + shape.count : axis
        precondition(ax >= 0 && ax < shape.count, "narrow: axis \(axis) out of range for shape \(shape)")
        precondition(
            start >= 0 && length >= 0 && start + length <= shape[ax],
            "narrow: \(start)..<\(start + length) outside 0..<\(shape[ax]) of axis \(ax)")
        let outer = shape[..<ax].reduce(1, *)
        let dim = shape[ax]
        let inner = shape[(ax + 1)...].reduce(1, *)
        var outShape = shape
        outShape[ax] = length
        let out = Storage(uninitialized: outer * length * inner)
        for o in 0..<outer {
            (out.pointer + o * length * inner).update(from: data + (o * dim + start) * inner, count: length * inner)
        }
        return Tensor.result(outShape, out, inputs: [self]) { t in
            let g = t.gradStorage!.pointer
            let gx = self.ensureGrad()
            for o in 0..<outer {
                let src = g + o * length * inner
                let dst = gx + (o * dim + start) * inner
                for i in 0..<(length * inner) { dst[i] += src[i] }
            }
        }
    }
}
