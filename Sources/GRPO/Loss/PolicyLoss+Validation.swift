extension PolicyLoss {
    /// Shapes agree, numbers are finite, masks are 0 or 1, and the terms switched on have their inputs.
    static func validate(_ x: Inputs, config: GRPOConfig) throws(GRPOError) {
        try config.validate()
        let rows = x.mask.count
        func sameShape(_ m: [[Double]]?, _ name: String) throws(GRPOError) {
            guard let m else { return }
            guard m.count == rows else { throw GRPOError("\(name) has \(m.count) rows but mask has \(rows)") }
            for i in 0..<rows {
                guard m[i].count == x.mask[i].count else {
                    throw GRPOError("\(name)[\(i)] has \(m[i].count) tokens but mask[\(i)] has \(x.mask[i].count)")
                }
                for t in m[i].indices where !m[i][t].isFinite {
                    throw GRPOError("\(name)[\(i)][\(t)] must be finite, got \(m[i][t])")
                }
            }
        }
        for i in 0..<rows {
            for t in x.mask[i].indices where x.mask[i][t] != 0 && x.mask[i][t] != 1 {
                throw GRPOError("mask[\(i)][\(t)] must be 0 or 1, got \(x.mask[i][t])")
            }
        }
        try sameShape(x.logp, "logp")
        try sameShape(x.oldLogp, "old_logp")
        try sameShape(x.refLogp, "ref_logp")
        try sameShape(x.entropy, "entropy")
        if let tokens = x.tokenAdvantages {
            try sameShape(tokens, "advantages")
        } else {
            guard x.advantages.count == rows else {
                throw GRPOError("advantages has \(x.advantages.count) entries but mask has \(rows) rows")
            }
            for (i, a) in x.advantages.enumerated() where !a.isFinite {
                throw GRPOError("advantages[\(i)] must be finite, got \(a)")
            }
        }
        if let inc = x.included, inc.count != rows {
            throw GRPOError("included has \(inc.count) entries but mask has \(rows) rows")
        }
        if config.beta != 0, x.refLogp == nil {
            throw GRPOError(
                "config.beta is \(config.beta) but ref_logp is missing (set beta to 0 to train without a reference)")
        }
        if config.entropyCoef != 0, x.entropy == nil {
            throw GRPOError("config.entropy_coef is \(config.entropyCoef) but no entropies were given (logits)")
        }
    }
}
