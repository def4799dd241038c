import RewardKit

/// One batch as `grpo loss` reads it: per-token log-probs, mask, rewards per row, the grouping and a config.
///
/// JSON fields (matrices are rows × tokens; rows may differ in length, all matrices of a row match `mask`):
/// `logp`, `old_logp`?, `ref_logp`?, `mask` (0/1 or booleans), `rewards` (a number or null per row, or per row an
/// array with one number or null per reward function), `group_size` or `group_ids` (any JSON scalars), `logits`?
/// (rows × tokens × vocab, for the entropy, divided by `config.temperature`), `values`? (the critic's current
/// predictions, for the value loss), `old_values`? (the critic's values at rollout time, read by `gae` and the
/// value clip; absent = `values`), `config` (see `GRPOConfig.init(json:)`).
public struct LossBatch: Sendable {
    public var logp: [[Double]]
    public var oldLogp: [[Double]]?
    public var refLogp: [[Double]]?
    public var mask: [[Double]]
    /// rows × reward functions (one column for a plain per-row reward); nil = unscorable.
    public var rewards: [[Double?]]
    public var groups: Groups
    /// The critic's current values v and its rollout-time values (verl `vpreds`, `values`).
    public var values: [[Double]]?
    public var oldValues: [[Double]]?
    /// rows × tokens × vocab.
    public var logits: [[[Double]]]?
    public var config: GRPOConfig

    public static let jsonKeys = [
        "logp", "old_logp", "ref_logp", "mask", "rewards", "group_size", "group_ids", "logits", "config",
        "values", "old_values",
    ]

    public init(json: JSON) throws(GRPOError) {
        guard let object = json.objectValue else {
            throw GRPOError("the batch must be a JSON object, got \(json.kindDescription)")
        }
        let r = JSONReader(object: object, path: "")
        try r.rejectUnknownKeys(Self.jsonKeys)
        guard let logp = try r.matrix("logp") else { throw GRPOError("missing field \"logp\" (rows × tokens)") }
        guard let mask = try r.matrix("mask", booleans: true) else {
            throw GRPOError("missing field \"mask\" (rows × tokens of 0/1)")
        }
        self.logp = logp
        self.mask = mask
        oldLogp = try r.matrix("old_logp")
        refLogp = try r.matrix("ref_logp")
        rewards = try Self.rewards(r)
        guard rewards.count == mask.count else {
            throw GRPOError("rewards has \(rewards.count) entries but mask has \(mask.count) rows")
        }
        groups = try Self.groups(r, rows: mask.count)
        logits = try Self.logits(r, mask: mask)
        values = try r.matrix("values")
        oldValues = try r.matrix("old_values")
        if let c = r.value("config") {
            guard let o = c.objectValue else { throw GRPOError("config must be an object, got \(c.jsonText)") }
            config = try GRPOConfig(json: o)
        } else {
            config = GRPOConfig()
        }
    }

    /// Advantages from the rewards (`config.advantage_estimator`), entropies from the logits, then the policy loss
    /// and its gradient, and the value loss when `values` are given.
    public func evaluate() throws(GRPOError) -> LossReport {
        let old = oldLogp ?? logp
        let estimate = try AdvantageEstimate(
            rewards: rewards, groups: groups, mask: mask, old: old, ref: refLogp, values: oldValues ?? values,
            config: config)
        let entropy = logits.map { rows in
            rows.map { tokens in tokens.map { TokenEntropy.fromLogits($0, temperature: config.temperature) } }
        }
        let inputs = estimate.lossInputs(logp: logp, old: oldLogp, ref: refLogp, mask: mask, entropy: entropy)
        let result = try PolicyLoss.compute(inputs, config: config)
        var value: ValueLoss? = nil
        if let values {
            let lossMask = mask.indices.map { i in estimate.included[i] ? mask[i] : mask[i].map { _ in 0 } }
            value = try ValueLoss(
                values: values, oldValues: oldValues ?? values, returns: estimate.returns, mask: lossMask,
                config: config)
        }
        return LossReport(estimate: estimate, result: result, value: value, config: config)
    }

    static func rewards(_ r: JSONReader) throws(GRPOError) -> [[Double?]] {
        guard let v = r.value("rewards") else {
            throw GRPOError("missing field \"rewards\" (one number or null per row, or one array per row)")
        }
        guard let a = v.arrayValue else { throw GRPOError("rewards must be an array, got \(v.kindDescription)") }
        func cell(_ x: JSON, _ name: String) throws(GRPOError) -> Double? {
            if x.isNull { return nil }
            guard let d = x.doubleValue else { throw GRPOError("\(name) must be a number or null, got \(x.jsonText)") }
            return d
        }
        var out: [[Double?]] = []
        for (i, x) in a.enumerated() {
            if let columns = x.arrayValue {
                guard !columns.isEmpty else { throw GRPOError("rewards[\(i)] must hold one value per reward function") }
                var row: [Double?] = []
                for (k, c) in columns.enumerated() { row.append(try cell(c, "rewards[\(i)][\(k)]")) }
                out.append(row)
            } else {
                out.append([try cell(x, "rewards[\(i)]")])
            }
        }
        return out
    }

    static func groups(_ r: JSONReader, rows: Int) throws(GRPOError) -> Groups {
        let size = try r.int("group_size")
        let ids = r.value("group_ids")
        switch (size, ids) {
        case (nil, nil):
            throw GRPOError("give \"group_size\" (samples per prompt) or \"group_ids\" (one id per row)")
        case (.some, .some):
            throw GRPOError("give either \"group_size\" or \"group_ids\", not both")
        case (let size?, nil):
            return try Groups(count: rows, size: size)
        case (nil, let ids?):
            guard let a = ids.arrayValue else {
                throw GRPOError("group_ids must be an array, got \(ids.kindDescription)")
            }
            guard a.count == rows else {
                throw GRPOError("group_ids has \(a.count) entries but mask has \(rows) rows")
            }
            for (i, id) in a.enumerated() where id.arrayValue != nil || id.objectValue != nil || id.isNull {
                throw GRPOError("group_ids[\(i)] must be a string or a number, got \(id.jsonText)")
            }
            // Python compares 1 and 1.0 as equal dictionary keys; so do we.
            return Groups(
                ids: a.map { id in id.doubleValue.flatMap { Int(exactly: $0) }.map { JSON.int(Int64($0)) } ?? id })
        }
    }

    static func logits(_ r: JSONReader, mask: [[Double]]) throws(GRPOError) -> [[[Double]]]? {
        guard let v = r.value("logits") else { return nil }
        guard let rows = v.arrayValue, rows.count == mask.count else {
            throw GRPOError(
                "logits must be an array of \(mask.count) rows (rows × tokens × vocab), got \(v.kindDescription)"
                    + (v.arrayValue.map { " of \($0.count) rows" } ?? ""))
        }
        var out: [[[Double]]] = []
        for (i, row) in rows.enumerated() {
            let m = try JSONReader.matrix(row, name: "logits[\(i)]")
            guard m.count == mask[i].count else {
                throw GRPOError("logits[\(i)] has \(m.count) tokens but mask[\(i)] has \(mask[i].count)")
            }
            for (t, vocab) in m.enumerated() where vocab.isEmpty {
                throw GRPOError("logits[\(i)][\(t)] must hold at least one logit")
            }
            out.append(m)
        }
        return out
    }
}
