import Foundation
import RewardKit
import Sandbox

/// Candidate boxes started ahead of their job: the box is set up and the driver's interpreter already running,
/// waiting for a solution on stdin. A job takes one (its wall clock starts then) and a background task starts
/// the next, so neither box set-up nor interpreter start-up is on the grading path. Idle ones end after
/// `idleMs`.
final class WarmCandidates: @unchecked Sendable {
    let sandbox: Sandbox
    let profile: Profile
    let depth: Int
    private let lock = NSLock()
    private var idle: [RunningBox] = []
    private var refilling = false
    /// The box every candidate starts from (the driver's files), known after the first `take`.
    private var template: Execution?

    static let idleMs: UInt64 = 300_000

    init(sandbox: Sandbox, profile: Profile, depth: Int) {
        self.sandbox = sandbox
        self.profile = profile
        self.depth = max(1, depth)
    }

    deinit {
        for box in idle {
            box.kill()
            BoxChannel.close(box.stdinWrite)
            BoxChannel.close(box.stdoutRead)
        }
    }

    /// Makes sure the driver's files are known (the first call compiles them in a box), so that a job's clock
    /// never includes that.
    func prepare() async {
        _ = await driverTemplate()
    }

    /// A running candidate box, its deadline set to `wallTimeMs` from now.
    func take(wallTimeMs: UInt64) async throws -> RunningBox {
        let template = await driverTemplate()
        let box: RunningBox
        if let warm = pop() {
            box = warm
        } else {
            box = try await sandbox.launch(template, detachStdio: true)
        }
        refill(template)
        box.setDeadline(wallTimeMs: wallTimeMs)
        return box
    }

    private func driverTemplate() async -> Execution {
        if let known = lock.withLock({ template }) { return known }
        var e = Execution(profile: profile)
        e.files = await DriverCode.shared.files(sandbox: sandbox, profile: profile)
        e.limits.wallTimeMs = WarmCandidates.idleMs
        // The ceiling a job may raise its CPU limit to; the driver lowers it to the job's own before any candidate
        // code runs.
        if e.limits.cpuTimeS > 0 { e.limits.cpuTimeS = max(e.limits.cpuTimeS, CodeGrader.maxSampleTimeMs / 1000) }
        lock.withLock { template = e }
        return e
    }

    private func pop() -> RunningBox? {
        lock.withLock {
            while let box = idle.popLast() {
                if box.isRunning { return box }
                BoxChannel.close(box.stdinWrite)
                BoxChannel.close(box.stdoutRead)
            }
            return nil
        }
    }

    private func refill(_ template: Execution) {
        let start: Bool = lock.withLock {
            guard !refilling, idle.count < depth else { return false }
            refilling = true
            return true
        }
        guard start else { return }
        Task.detached { [self] in
            while lock.withLock({ idle.count < depth }) {
                guard let box = try? await sandbox.launch(template, detachStdio: true) else { break }
                lock.withLock { idle.append(box) }
            }
            lock.withLock { refilling = false }
        }
    }
}
