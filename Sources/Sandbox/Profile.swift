/// How to run one language in a box: command lines, visible host paths, limits and the syscall allow-list.
/// Profiles are data, read from `Sandboxes/<name>.conf` (see `ProfileParser` for the format).
public struct Profile: Sendable, Hashable {
    /// A host path made visible read-only inside the box, at the same path or at `target`.
    public struct Mount: Sendable, Hashable {
        public var path: String
        /// Skipped when missing on this machine (instead of failing the box).
        public var optional: Bool
        /// Where it appears inside the box (absolute, outside every other mount); nil = at `path`.
        public var target: String?
        public init(path: String, optional: Bool, target: String? = nil) {
            self.path = path
            self.optional = optional
            self.target = target
        }
    }

    /// What a syscall outside the allow-list does.
    public enum DenyAction: String, Sendable, Hashable {
        /// The program is killed (verdict blocked syscall).
        case kill
        /// The call fails with EPERM.
        case errno
    }

    public var name: String
    /// The `language` a sample names, and its aliases (`py`, `python3`...).
    public var language: String
    public var aliases: [String] = []
    /// The file the program text is written to in /work.
    public var source: String = "main"
    /// The compile command (its own box and limits), or nil for interpreted languages.
    public var compile: [String]? = nil
    /// The file the compile step must produce; copied into the run box.
    public var binary: String? = nil
    /// The run command; the first element is the executable's path inside the box.
    public var run: [String] = []
    public var mounts: [Mount] = []
    /// The whole environment of the program (nothing is inherited), as KEY=VALUE.
    public var environment: [String] = []
    /// Mount a fresh /proc (needed by some runtimes; shows only the box's processes).
    public var mountProc: Bool = true
    public var limits = Limits()
    public var compileLimits = Limits()
    /// The most memory (cgroup) a request may ask for, bytes; SandboxFusion's `memory_limit_MB` of -1 or 0 means
    /// this. Never below `limits.memoryBytes`.
    public var memoryMaxBytes: UInt64 = 2048 << 20
    /// Allowed syscalls (libseccomp names); everything else is denied.
    public var syscalls: [String] = []
    /// Syscalls that fail with ENOSYS instead (clone3 so libc falls back to clone; io_uring so libuv falls back).
    public var enosys: [String] = []
    public var denyAction: DenyAction = .kill
    /// A box server that runs `run` in a warm interpreter forked inside the box instead of exec'ing it (the
    /// executable's name next to `arbiter-box-init`, or a path): every isolation step is the same, the
    /// interpreter's start is saved. It runs only command lines it was started for and execs any other. nil: exec.
    public var zygote: String? = nil

    public init(name: String, language: String) {
        self.name = name
        self.language = language
    }

    /// The host path shown at `boxPath` inside the box (through a `host:box` mount), else `boxPath` itself.
    public func hostPath(of boxPath: String) -> String {
        mounts.first { $0.target == boxPath }?.path ?? boxPath
    }

    /// True when `name` is this profile's language or one of its aliases (case-insensitive).
    public func matches(language name: String) -> Bool {
        let lower = name.lowercased()
        return lower == language.lowercased() || aliases.contains { $0.lowercased() == lower }
    }
}
