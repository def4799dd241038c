/// Resource limits of one box. Units are in the names; 0 means "no limit" where noted.
public struct Limits: Sendable, Hashable {
    /// Wall-clock time after which the whole process tree is killed, milliseconds.
    public var wallTimeMs: UInt64 = 10_000
    /// CPU time per process (RLIMIT_CPU), seconds; 0 = none.
    public var cpuTimeS: UInt64 = 10
    /// Memory of the whole tree (cgroup, swap excluded), bytes; 0 = no cgroup.
    public var memoryBytes: UInt64 = 512 << 20
    /// Address space per process (RLIMIT_AS), bytes; 0 = unlimited.
    public var addressSpaceBytes: UInt64 = 2048 << 20
    /// Largest file a process may write (RLIMIT_FSIZE), bytes; 0 = unlimited.
    public var fileSizeBytes: UInt64 = 64 << 20
    /// Open files per process (RLIMIT_NOFILE).
    public var openFiles: UInt64 = 64
    /// Processes/threads of the box's user (RLIMIT_NPROC; the uid is unique per box) and of the cgroup (pids.max).
    public var processes: UInt64 = 64
    /// Stack per process (RLIMIT_STACK), bytes.
    public var stackBytes: UInt64 = 64 << 20
    /// Size of the /work tmpfs, bytes.
    public var workBytes: UInt64 = 64 << 20
    /// Size of the /tmp tmpfs, bytes.
    public var tmpBytes: UInt64 = 32 << 20
    /// Size of the /dev/shm tmpfs, bytes.
    public var shmBytes: UInt64 = 16 << 20
    /// Standard output kept, bytes; more kills the box (verdict output limit).
    public var stdoutBytes: Int = 1 << 20
    /// Standard error kept, bytes; more is dropped and flagged.
    public var stderrBytes: Int = 64 << 10
    /// CPU time the whole box may use per unit of wall-clock time, thousandths of a core (cgroup cpu quota);
    /// 0 = no quota. Whatever it is, every box has the same CPU weight as every other.
    public var cpuMillicores: UInt32 = 1000

    public init() {}
}
