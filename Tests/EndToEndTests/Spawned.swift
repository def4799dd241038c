import Foundation
import Synchronization

/// A child process in a process group of its own, started with no blocked signals and default signal handling,
/// its standard output and error on one pipe; every wait on it is bounded.
///
/// Why not `Process`: a child inherits the signal mask of the thread that starts it, and the tests run on
/// Dispatch's worker threads, which block SIGTERM and SIGINT. `Process` passes that mask on, so a shell script
/// started from a test never receives `terminate()`'s SIGTERM (bash keeps the mask it inherits), its trap never
/// runs, and a test waiting for it to exit waits forever (this was the HAProxy replica test's hang). `posix_spawn`
/// with `POSIX_SPAWN_SETSIGMASK` starts the child with an empty mask.
final class Spawned: Sendable {
    let pid: pid_t
    private let output: Int32
    private let text = Mutex("")
    private let status = Mutex<Int32?>(nil)

    /// Starts `executable` (an absolute path) in this process's working directory.
    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw BinaryError("pipe: errno \(errno)") }
        // Neither end leaks into other children started meanwhile (the child gets its copies from dup2).
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(fds[1])
        guard rc == 0 else {
            close(fds[0])
            throw BinaryError("cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        output = fds[0]
    }

    deinit { close(output) }

    /// Everything the child has written so far.
    var written: String { text.withLock { $0 } }

    /// Reads the child's output until it contains `marker`, for at most `seconds`; false when the time ran out or
    /// the output ended first.
    func waitForOutput(containing marker: String, within seconds: Double) -> Bool {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !written.contains(marker) {
            let left = ContinuousClock.now.duration(to: end)
            guard left > .zero else { return false }
            var p = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ms = Int32(
                min(1000, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&p, 1, max(1, ms)) >= 0 else { return false }
            if p.revents == 0 { continue }
            let n = read(output, &buffer, buffer.count)
            if n <= 0 { return written.contains(marker) }
            text.withLock { $0 += String(decoding: buffer[0..<n], as: UTF8.self) }
        }
        return true
    }

    /// Sends `signal` to the child's whole process group.
    func signalGroup(_ signal: Int32) { kill(-pid, signal) }

    /// The exit status once the child has exited (reaping it), polled for at most `seconds`; nil if it still runs.
    func waitForExit(within seconds: Double) -> Int32? {
        let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while true {
            if let done = status.withLock({ $0 }) { return done }
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                let code = raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + raw & 0x7f
                status.withLock { $0 = code }
                return code
            }
            if ContinuousClock.now >= end { return nil }
            usleep(20_000)
        }
    }

    /// Stops the whole group: SIGTERM, up to `grace` seconds to exit, then SIGKILL. The child's exit status, or nil
    /// when even SIGKILL did not end it within 10 s.
    @discardableResult
    func stop(grace: Double) -> Int32? {
        signalGroup(SIGTERM)
        if let code = waitForExit(within: grace) { return code }
        signalGroup(SIGKILL)
        return waitForExit(within: 10)
    }
}
