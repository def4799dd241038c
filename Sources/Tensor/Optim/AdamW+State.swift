import Foundation

/// Saving and restoring optimizer state for exact resume.
extension AdamW {
    /// Writes `<name>.exp_avg` and `<name>.exp_avg_sq` (PyTorch's state names) for each parameter (names in
    /// parameter order), the step and hyperparameters, plus `metadata`, to a safetensors file at `url`.
    public func save(names: [String], metadata: [String: String] = [:], to url: URL) throws {
        guard names.count == parameters.count else {
            throw TensorError("AdamW state: \(names.count) names for \(parameters.count) parameters")
        }
        var tensors: [(String, Tensor)] = []
        for (i, name) in names.enumerated() {
            let shape = parameters[i].shape
            tensors.append(("\(name).exp_avg", Tensor(shape: shape, storage: expAvg[i])))
            tensors.append(("\(name).exp_avg_sq", Tensor(shape: shape, storage: expAvgSq[i])))
        }
        var meta = metadata
        meta["adamw.step"] = String(step)
        meta["adamw.beta1"] = "\(config.beta1)"
        meta["adamw.beta2"] = "\(config.beta2)"
        meta["adamw.eps"] = "\(config.eps)"
        meta["adamw.weight_decay"] = "\(config.weightDecay)"
        try SafeTensors.write(tensors, metadata: meta, to: url)
    }

    /// Restores moments and step saved by `save`; returns the file's metadata. Throws naming a missing or
    /// mis-shaped tensor.
    @discardableResult
    public func load(names: [String], from url: URL) throws -> [String: String] {
        let file = try SafeTensors.read(url)
        guard let stepText = file.metadata["adamw.step"], let step = Int(stepText) else {
            throw TensorError("\(url.path): no adamw.step in the metadata")
        }
        for (i, name) in names.enumerated() {
            for (suffix, dst) in [("exp_avg", expAvg[i]), ("exp_avg_sq", expAvgSq[i])] {
                guard let t = file.tensors["\(name).\(suffix)"], t.shape == parameters[i].shape else {
                    throw TensorError("\(url.path): missing or mis-shaped \(name).\(suffix)")
                }
                dst.pointer.update(from: t.data, count: t.count)
            }
        }
        try restore(step: step)
        return file.metadata
    }
}
