import CSandbox
import Foundation

extension Sandbox {
    /// Runs two boxes wired to each other: `a`'s stdout feeds `b`'s stdin and `b`'s stdout feeds `a`'s stdin
    /// (their `stdin` settings are ignored; stderr stays captured per box). Used by trusted graders, which talk to
    /// the candidate's box over these pipes only. Both boxes run concurrently; the results come back in order.
    public func runConnected(_ a: Execution, _ b: Execution) async throws -> (RunResult, RunResult) {
        let options = self.options
        let aToB = try BoxPipe.make(), bToA = try BoxPipe.make()
        let boxA: Box, boxB: Box
        do {
            boxA = try Box(a, options: options, stdinFD: bToA.read, stdoutFD: aToB.write)
        } catch {
            aToB.close()
            bToA.close()
            throw error
        }
        do {
            boxB = try Box(b, options: options, stdinFD: aToB.read, stdoutFD: bToA.write)
        } catch {
            aToB.close()
            bToA.close()
            boxA.destroy()
            throw error
        }
        // The boxes hold their own copies now: ours must go so that an ended box is seen as EOF by the other.
        aToB.close()
        bToA.close()
        async let resultA = Sandbox.onThread { try Sandbox.finish(boxA, stdin: nil) }
        async let resultB = Sandbox.onThread { try Sandbox.finish(boxB, stdin: nil) }
        return try await (resultA, resultB)
    }

    /// Writes the files, runs and destroys one started box.
    static func finish(_ box: Box, stdin: [UInt8]?) throws -> RunResult {
        defer { box.destroy() }
        for (path, bytes) in box.execution.files.sorted(by: { $0.key < $1.key }) {
            try box.write(path, bytes, executable: box.execution.executables.contains(path))
        }
        return try box.run(stdin: stdin)
    }
}

/// A CLOEXEC pipe owned by the supervisor.
struct BoxPipe {
    var read: Int32
    var write: Int32

    static func make() throws -> BoxPipe {
        var fds: [Int32] = [-1, -1]
        guard csb_pipe(&fds) == 0 else {
            throw SandboxError(.supervision, step: "pipe2", errno: errno, detail: "pipe between two boxes")
        }
        return BoxPipe(read: fds[0], write: fds[1])
    }

    func close() {
        _ = csb_close(read)
        _ = csb_close(write)
    }
}
