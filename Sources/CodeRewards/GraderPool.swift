import Foundation
import RewardKit
import Sandbox

/// Long-lived grader boxes running Python/grader.py, reused across jobs (one job at a time each), so a job costs
/// a fork in a warm interpreter instead of a fresh box and interpreter. Tests reach a grader over its channel;
/// the candidate's pipes are passed along with them (SCM_RIGHTS), so no byte of the exchange goes through us.
final class GraderPool: @unchecked Sendable {
    final class Grader: @unchecked Sendable {
        let box: RunningBox
        let channel: BoxChannel
        init(box: RunningBox, channel: BoxChannel) {
            self.box = box
            self.channel = channel
        }

        /// Kills the grader's box; the channel is closed by the caller once no read is pending.
        func discard() {
            box.kill()
        }
    }

    let sandbox: Sandbox
    let profile: Profile
    private let lock = NSLock()
    private var idle: [Grader] = []

    init(sandbox: Sandbox, profile: Profile) {
        self.sandbox = sandbox
        self.profile = profile
    }

    deinit {
        for g in idle {
            g.box.kill()
            g.channel.close()
        }
    }

    /// An idle grader, or a new one.
    func checkout() async throws -> Grader {
        if let g = takeIdle() { return g }
        let (channel, theirs) = try BoxChannel.pair()
        var e = Execution(profile: profile)
        e.files[profile.source] = PythonHarness.grader
        e.stdin = .ownedDescriptor(theirs)
        e.limits.wallTimeMs = 7 * 24 * 3_600_000  // lives as long as the pool; jobs have their own deadline
        e.limits.cpuTimeS = 0  // RLIMIT_CPU would add up over jobs; each job runs in a child under a deadline
        do {
            return Grader(box: try await sandbox.launch(e), channel: channel)
        } catch {
            channel.close()
            throw error
        }
    }

    private func takeIdle() -> Grader? {
        lock.withLock {
            while let g = idle.popLast() {
                if g.box.isRunning { return g }
                g.channel.close()
            }
            return nil
        }
    }

    /// Returns a healthy grader for reuse.
    func checkin(_ g: Grader) {
        lock.withLock { idle.append(g) }
    }
}
