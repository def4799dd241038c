import CSandbox

/// What this machine can provide to the sandbox. Missing facilities are reported, never silently skipped:
/// `Sandbox` refuses to run without them unless `Options.allowWeakerIsolation` is set.
public struct MachineReport: Sendable, Hashable {
    public var userNamespaces: Bool
    public var seccomp: Bool
    /// A memory+pids cgroup can be created (needs root).
    public var cgroup: Bool
    /// The cgroup found is v2 (unified).
    public var cgroupV2: Bool
    public var root: Bool
    /// Why something is missing.
    public var detail: String

    /// True when every layer is available.
    public var complete: Bool { userNamespaces && seccomp && cgroup }
}

extension Sandbox {
    /// Probes namespaces, seccomp and cgroups.
    public static func probe() -> MachineReport {
        var r = csb_probe_report()
        csb_probe(&r)
        let detail = withUnsafeBytes(of: &r.detail) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return MachineReport(
            userNamespaces: r.user_namespaces != 0, seccomp: r.seccomp != 0, cgroup: r.cgroup != 0,
            cgroupV2: r.cgroup_v2 != 0, root: r.root != 0, detail: detail)
    }
}
