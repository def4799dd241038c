/// The one error type of the Sandbox module: the sandbox could not do its job. Never a verdict about the program
/// (a failed box is not a wrong answer).
public struct SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// A set-up step failed (namespaces, mounts, cgroup, seccomp, execve...).
        case setup
        /// The machine lacks a facility the isolation needs and weaker isolation was not allowed.
        case unsupported
        /// A profile file or value is invalid.
        case profile
        /// A caller mistake: bad relative path, bad limit.
        case invalidArgument
        /// Supervising the box failed (poll, pipes).
        case supervision
    }

    public var kind: Kind
    /// The named step or syscall that failed, e.g. `mount(/work tmpfs)`.
    public var step: String
    /// The errno of the failing syscall, 0 when not a syscall failure.
    public var errno: Int32
    public var detail: String

    public init(_ kind: Kind, step: String, errno: Int32 = 0, detail: String) {
        self.kind = kind
        self.step = step
        self.errno = errno
        self.detail = detail
    }

    public var description: String {
        var text = "sandbox \(kind.rawValue) error: \(step)"
        if errno != 0 { text += " failed with errno \(errno) (\(String(cString: strerror(errno))))" }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
