/// Sums and means, over everything or over one axis.
extension Tensor {
    /// Sum of all elements, shape `[]`.
    public func sum() -> Tensor {
        let out = Storage(count: 1)
        out.pointer[0] = Float(FastMath.sum(data, count))
        let n = count
        return Tensor.result([], out, inputs: [self]) { o in
            let g = o.gradStorage!.pointer[0]
            let gx = self.ensureGrad()
            for i in 0..<n { gx[i] += g }
        }
    }

    /// Mean of all elements, shape `[]` (the tensor must not be empty).
    public func mean() -> Tensor {
        precondition(count > 0, "mean of an empty tensor")
        return sum() * (1 / Float(count))
    }

    /// Sum over `axis` (negative counts from the end); the axis is removed from the shape.
    public func sum(axis: Int) -> Tensor {
        let ax = axis < 0 ? axis + shape.count : axis
        precondition(ax >= 0 && ax < shape.count, "sum: axis \(axis) out of range for shape \(shape)")
        let outer = shape[..<ax].reduce(1, *)
        let len = shape[ax]
        let inner = shape[(ax + 1)...].reduce(1, *)
        var outShape = shape
        outShape.remove(at: ax)
        let out = Storage(count: outer * inner)
        let px = data
        let po = out.pointer
        for o in 0..<outer {
            for j in 0..<len {
                let src = px + (o * len + j) * inner
                let dst = po + o * inner
                for i in 0..<inner { dst[i] += src[i] }
            }
        }
        return Tensor.result(outShape, out, inputs: [self]) { t in
            let g = t.gradStorage!.pointer
            let gx = self.ensureGrad()
            for o in 0..<outer {
                for j in 0..<len {
                    let dst = gx + (o * len + j) * inner
                    let src = g + o * inner
                    for i in 0..<inner { dst[i] += src[i] }
                }
            }
        }
    }

    /// Mean over `axis` (negative counts from the end); the axis is removed from the shape.
    public func mean(axis: Int) -> Tensor {
        let ax = axis < 0 ? axis + shape.count : axis
        precondition(ax >= 0 && ax < shape.count && shape[ax] > 0, "mean: bad axis \(axis) for shape \(shape)")
        return sum(axis: ax) * (1 / Float(shape[ax]))
    }
}
