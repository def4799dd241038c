import Foundation

/// Runs `work` and answers with its result, or with `onTimeout` after `seconds`, whichever comes first.
///
/// The work is not abandoned: `finished` runs when it really ends (so a slot it holds is freed only then),
/// but the caller gets its answer on time.
func withDeadline<T: Sendable>(
    seconds: Double, onTimeout: @escaping @Sendable () -> T, finished: @escaping @Sendable () async -> Void,
    _ work: @escaping @Sendable () async -> T
) async -> T {
    let once = Once<T>()
    return await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
        once.set(c)
        let timer = Task {
            do { try await Task.sleep(nanoseconds: UInt64(seconds * 1e9)) } catch { return }  // cancelled: answered
            once.resume(onTimeout())
        }
        Task {
            let value = await work()
            // The timer is cancelled as soon as the work is done, so that a finished request holds no memory for
            // the rest of its deadline (with a 60 s deadline, sleeping timers were most of the server's growth).
            timer.cancel()
            once.resume(value)
            await finished()
        }
    }
}

/// Resumes a continuation at most once, from any thread.
private final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Never>?

    func set(_ c: CheckedContinuation<T, Never>) {
        lock.lock()
        continuation = c
        lock.unlock()
    }

    @discardableResult
    func resume(_ value: T) -> Bool {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume(returning: value)
        return c != nil
    }
}
