import CSandbox

/// A unix stream socket between the supervisor and a box's program (given to the box as `.ownedDescriptor`),
/// able to pass file descriptors along with bytes.
public final class BoxChannel: @unchecked Sendable {
    public let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Our end, and the other end to hand to a box as `Execution.Input.ownedDescriptor`.
    public static func pair() throws -> (BoxChannel, Int32) {
        var fds: [Int32] = [-1, -1]
        guard csb_socketpair(&fds) == 0 else {
            throw SandboxError(.supervision, step: "socketpair", errno: errno, detail: "channel to a box")
        }
        return (BoxChannel(fd: fds[0]), fds[1])
    }

    /// Sends `bytes` with `descriptors` attached (the receiver gets its own copies; ours stay open).
    public func send(_ bytes: [UInt8], passing descriptors: [Int32] = []) throws {
        let rc = bytes.withUnsafeBytes { raw in
            csb_send_with_fds(fd, raw.baseAddress, raw.count, descriptors, Int32(descriptors.count))
        }
        guard rc == 0 else { throw SandboxError(.supervision, step: "sendmsg", errno: errno, detail: "channel") }
    }

    /// The next line (newline excluded), nil at end of stream; throws after `timeoutMs` without a whole line.
    public func readLine(timeoutMs: Int, limit: Int = 1 << 20) async throws -> [UInt8]? {
        let fd = self.fd
        return try await Sandbox.onThread {
            var buffer = [UInt8](repeating: 0, count: limit)
            let n = buffer.withUnsafeMutableBytes { raw in
                csb_read_line(fd, raw.baseAddress!.assumingMemoryBound(to: CChar.self), limit, Int32(timeoutMs))
            }
            if n == -2 { throw SandboxError(.supervision, step: "read", detail: "no line within \(timeoutMs) ms") }
            if n < 0 {
                if errno == 0 { return nil }
                throw SandboxError(.supervision, step: "read", errno: errno, detail: "channel")
            }
            return Array(buffer[0..<Int(n)])
        }
    }

    /// Writes all of `bytes` to a descriptor of ours (e.g. a detached stdin).
    public static func write(_ descriptor: Int32, _ bytes: [UInt8]) throws {
        let rc = bytes.withUnsafeBytes { csb_write_all(descriptor, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw SandboxError(.supervision, step: "write", errno: errno, detail: "descriptor") }
    }

    /// Closes a descriptor of ours (e.g. a pipe end after passing it on).
    public static func close(_ descriptor: Int32) { _ = csb_close(descriptor) }

    public func close() { _ = csb_close(fd) }
}

#if canImport(Glibc)
    import Glibc
#endif
