import Foundation
import Tensor
import TinyLM

/// Trains a `RewardModel` in place: AdamW (norms and biases exempt from decay), global-norm clipping and a
/// learning-rate schedule, one step per call on a batch of pairs (pairwise loss) or outcomes (pointwise loss).
public final class RewardTrainer {
    public struct Options: Sendable, Equatable {
        /// TRL's `center_rewards_coefficient` (0 = off).
        public var centerCoefficient: Float
        /// The loss for outcome labels.
        public var pointwise: RewardLoss.Pointwise
        public var weightDecay: Float
        /// Global gradient-norm clip (0 = off).
        public var maxGradNorm: Float

        public init(
            centerCoefficient: Float = 0, pointwise: RewardLoss.Pointwise = .bce, weightDecay: Float = 0,
            maxGradNorm: Float = 1
        ) {
            self.centerCoefficient = centerCoefficient
            self.pointwise = pointwise
            self.weightDecay = weightDecay
            self.maxGradNorm = maxGradNorm
        }
    }

    /// What one step did.
    public struct Step: Sendable {
        public var loss: Float
        /// Share of the batch's pairs ranked right before the update (for outcomes: NaN, there are no pairs).
        public var accuracy: Double
        public var gradNorm: Float
        public var learningRate: Float
    }

    public let model: RewardModel
    public let optimizer: AdamW
    public var schedule: LRSchedule
    public var options: Options

    public init(model: RewardModel, schedule: LRSchedule, options: Options = Options()) {
        self.model = model
        let named = model.namedParameters
        optimizer = AdamW(
            parameters: named.map(\.1), decay: named.map { !$0.0.hasSuffix("norm.weight") && !$0.0.hasSuffix("bias") },
            config: AdamW.Config(weightDecay: options.weightDecay))
        self.schedule = schedule
        self.options = options
    }

    /// The learning rate of the next step.
    public var learningRate: Float { schedule.lr(at: optimizer.step) }

    /// Token ids of each text pair, throwing naming one longer than the model reads.
    func encode(_ items: [(prompt: String, completion: String)]) throws -> [[Int32]] {
        try items.map { item in
            let s = model.encode(prompt: item.prompt, completion: item.completion)
            guard s.count <= model.maxLength else {
                throw RewardModelError("a sequence of \(s.count) tokens exceeds the model's \(model.maxLength)")
            }
            return s
        }
    }

    /// One update on pairs: chosen and rejected sequences share one batch of 2N rows, as TRL's collator stacks them.
    public func step(pairs: [PreferencePair]) throws -> Step {
        guard !pairs.isEmpty else { throw RewardModelError("a training step needs at least one pair") }
        let sequences = try encode(pairs.map { ($0.prompt, $0.chosen) } + pairs.map { ($0.prompt, $0.rejected) })
        let n = pairs.count
        let scores = model.scores(try TokenBatch(sequences))
        let chosen = scores.narrow(axis: 0, start: 0, length: n)
        let rejected = scores.narrow(axis: 0, start: n, length: n)
        let margins = pairs.contains { $0.margin != nil } ? pairs.map { Float($0.margin ?? 0) } : nil
        let loss = RewardLoss.pairwise(
            chosen: chosen, rejected: rejected, margins: margins, centerCoefficient: options.centerCoefficient)
        let values = scores.values
        let right = (0..<n).filter { values[$0] > values[n + $0] }.count
        return update(loss, accuracy: Double(right) / Double(n))
    }

    /// One update on outcome-labelled completions with the pointwise loss.
    public func step(outcomes: [OutcomeExample]) throws -> Step {
        guard !outcomes.isEmpty else { throw RewardModelError("a training step needs at least one example") }
        let scores = model.scores(try TokenBatch(try encode(outcomes.map { ($0.prompt, $0.completion) })))
        let loss = RewardLoss.pointwise(options.pointwise, scores: scores, labels: outcomes.map { Float($0.label) })
        return update(loss, accuracy: .nan)
    }

    private func update(_ loss: Tensor, accuracy: Double) -> Step {
        let lr = learningRate
        optimizer.zeroGrad()
        loss.backward()
        let norm = GradClip.clipGlobalNorm(
            optimizer.parameters, maxNorm: options.maxGradNorm > 0 ? options.maxGradNorm : .infinity)
        optimizer.update(lr: lr)
        optimizer.zeroGrad()
        return Step(loss: loss.item, accuracy: accuracy, gradNorm: norm, learningRate: lr)
    }

    /// Scores every pair (no gradient) and evaluates the ranking.
    public func evaluate(_ pairs: [PreferencePair], batchSize: Int = 16) throws -> PairEvaluation {
        try Self.evaluate(model, pairs, batchSize: batchSize)
    }

    public static func evaluate(_ model: RewardModel, _ pairs: [PreferencePair], batchSize: Int = 16) throws
        -> PairEvaluation
    {
        let chosen = try model.scores(
            of: pairs.map { model.encode(prompt: $0.prompt, completion: $0.chosen) }, batchSize: batchSize)
        let rejected = try model.scores(
            of: pairs.map { model.encode(prompt: $0.prompt, completion: $0.rejected) }, batchSize: batchSize)
        return PairEvaluation(chosen: chosen, rejected: rejected)
    }

    /// Writes the model (see `RewardModel.save`) and `optimizer.safetensors` (AdamW moments and step).
    public func save(to dir: URL, tokenizerFile: URL? = nil) throws {
        try model.save(to: dir, tokenizerFile: tokenizerFile)
        try optimizer.save(
            names: model.namedParameters.map(\.0), to: dir.appendingPathComponent("optimizer.safetensors"))
    }

    /// Restores the AdamW state written by `save` (the weights come with the model).
    public func loadOptimizer(from dir: URL) throws {
        _ = try optimizer.load(
            names: model.namedParameters.map(\.0), from: dir.appendingPathComponent("optimizer.safetensors"))
    }
}
