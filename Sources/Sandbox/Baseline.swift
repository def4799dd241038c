import CSandbox

extension Sandbox {
    /// Runs `command` outside any box (posix_spawn, stdio on /dev/null) and returns its wall time in seconds:
    /// the baseline the sandbox's overhead is measured against. Throws when it cannot start or exits non-zero.
    public static func runUnsandboxed(_ command: [String]) throws -> Double {
        guard let path = command.first else {
            throw SandboxError(.invalidArgument, step: "runUnsandboxed", detail: "empty command")
        }
        var cArgs: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var wall: UInt64 = 0
        let status = csb_run_plain(path, &cArgs, &wall)
        guard status == 0 else {
            throw SandboxError(
                .supervision, step: "posix_spawn", errno: status < 0 ? errno : 0,
                detail: "\(command) ended with wait status \(status)")
        }
        return Double(wall) / 1e6
    }
}

#if canImport(Glibc)
    import Glibc
#endif
