import Foundation

/// One command to run in a box.
public struct Execution: Sendable {
    /// Where standard input comes from.
    public enum Input: Sendable {
        case null
        case bytes([UInt8])
        /// A descriptor that stays the caller's (the box gets its own copy).
        case descriptor(Int32)
        /// A descriptor handed to the sandbox, which closes it once the box holds its own copy (or on failure).
        case ownedDescriptor(Int32)
    }

    /// argv; `command[0]` is the executable's path inside the box.
    public var command: [String]
    public var environment: [String]
    public var mounts: [Profile.Mount]
    public var mountProc: Bool
    public var limits: Limits
    /// Files written into /work before the program starts (relative paths; mode 0644 unless listed executable).
    public var files: [String: [UInt8]]
    /// Files of `files` made executable (0755).
    public var executables: Set<String>
    public var stdin: Input
    /// Files read back from /work after the run (missing ones are simply absent from the result).
    public var collect: [String]
    /// Largest file read back, bytes.
    public var collectLimit: Int

    /// The profile's `zygote`: the box server that may run `command` in a warm interpreter (nil: exec).
    public var zygote: String?

    var filterProfile: Profile

    /// An execution with the profile's mounts, environment, syscall filter and run limits.
    public init(profile: Profile, command: [String]? = nil, limits: Limits? = nil) {
        self.command = command ?? profile.run
        self.environment = profile.environment
        self.mounts = profile.mounts
        self.mountProc = profile.mountProc
        self.limits = limits ?? profile.limits
        self.files = [:]
        self.executables = []
        self.stdin = .null
        self.collect = []
        self.collectLimit = 64 << 20
        self.zygote = profile.zygote
        self.filterProfile = profile
    }
}

extension Execution {
    /// `text` with `{memory_mib}` replaced by this execution's memory limit in MiB (so that a runtime's heap cap
    /// follows the limit a request sets: Java's `-XX:MaxRAM`, Go's `GOMEMLIMIT`, V8's old space).
    public func expand(_ text: String) -> String {
        guard text.contains("{memory_mib}") else { return text }
        let mib = limits.memoryBytes > 0 ? limits.memoryBytes >> 20 : 1 << 20
        return text.replacingOccurrences(of: "{memory_mib}", with: String(mib))
    }
}

/// What a box reports after its program ended.
public struct RunResult: Sendable {
    public var verdict: Verdict
    public var exitCode: Int32?
    public var signal: Int32?
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// Standard output went past its limit (the box was killed; `stdout` holds the first bytes).
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    /// Wall-clock time from the program's start to the end of the tree, seconds.
    public var wallTime: Double
    /// CPU time of the whole tree (user + system), seconds.
    public var cpuTime: Double
    /// Largest resident set of one process, bytes.
    public var maxRSSBytes: UInt64
    /// Cgroup memory high-water mark, bytes (0 without a cgroup).
    public var memoryPeakBytes: UInt64
    /// Files collected from /work.
    public var files: [String: [UInt8]]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
