import Foundation
import Synchronization
import Tensor

/// A loaded reward model that several users share: the recipe terms that score with it and, in `grpo train
/// --rm-update-every`, the online trainer that updates it. Every use holds its lock, so a forward pass never sees
/// half-updated weights and the engine runs one pass at a time.
public final class SharedRewardModel: Sendable {
    /// The folder it was loaded from.
    public let path: String
    private let state: Mutex<Slot>

    /// The model and, once someone trains it, its trainer (optimizer state lives as long as the model).
    struct Slot {
        var model: RewardModel
        var trainer: RewardTrainer?
    }

    public init(path: String, model: consuming sending RewardModel) {
        self.path = path
        state = Mutex(Slot(model: model))
    }

    /// Runs `body` with the model, exclusively.
    public func withModel<R: Sendable>(_ body: (RewardModel) throws -> R) throws -> R {
        try state.withLock { slot throws -> R in try body(slot.model) }
    }

    /// Runs `body` with the model's trainer, exclusively; the trainer is made with `schedule` and `options` on the
    /// first call and kept (with its AdamW moments) for the next ones.
    public func withTrainer<R: Sendable>(
        schedule: LRSchedule, options: RewardTrainer.Options, _ body: (RewardTrainer) throws -> R
    ) throws -> R {
        try state.withLock { slot throws -> R in
            let trainer = slot.trainer ?? RewardTrainer(model: slot.model, schedule: schedule, options: options)
            slot.trainer = trainer
            return try body(trainer)
        }
    }
}

/// The reward models loaded by this process, one per folder: recipes naming the same `path` share one copy.
/// A folder whose `model.safetensors` changed on disk since it was loaded is loaded again.
public enum RewardModelStore {
    private static let loaded = Mutex<[String: (stamp: Date?, model: SharedRewardModel)]>([:])

    /// The model in `path`, loaded on first use. Throws naming the folder when it is not a reward model.
    public static func model(at path: String) throws -> SharedRewardModel {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let stamp =
            (try? FileManager.default.attributesOfItem(
                atPath: url.appendingPathComponent("model.safetensors").path))?[.modificationDate] as? Date
        return try loaded.withLock { cache in
            if let hit = cache[url.path], hit.stamp == stamp { return hit.model }
            let shared = SharedRewardModel(path: url.path, model: try RewardModel.load(from: url))
            cache[url.path] = (stamp, shared)
            return shared
        }
    }
}
