import CSandbox
import Foundation

/// Finds `arbiter-box-init`, the small executable boxes are started from: exec'd once (vfork+exec) as a box server
/// that clones every box on request, so starting a box costs the same whatever the size of this process, and no
/// exec. Without it boxes are clones of this process: equally isolated, but the clone copies this process's page
/// tables (2 ms for a small process, 20+ ms at 300 MB).
public enum InitHelper {
    /// `$ARBITER_BOX_INIT` ("none" turns the helper off), else `arbiter-box-init` next to the running
    /// executable or in the directory above it (test bundles); nil when there is none.
    public static let path: String? = {
        let env = ProcessInfo.processInfo.environment["ARBITER_BOX_INIT"]
        if env == "none" { return nil }
        if let env, !env.isEmpty { return FileManager.default.isExecutableFile(atPath: env) ? env : nil }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("arbiter-box-init").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return nil
    }()

    /// Tells CSandbox which helper to use (once; `use(nil)` switches to in-process clones). A missing helper is
    /// said once on stderr, since every box then costs a clone of this process (slow for a large one).
    static let installed: Void = {
        let env = ProcessInfo.processInfo.environment["ARBITER_BOX_INIT"]
        if path == nil && env != "none" {
            let asked = env.map { "ARBITER_BOX_INIT=\($0) is not an executable" }
                ?? "no arbiter-box-init next to \(CommandLine.arguments.first ?? "this program")"
            FileHandle.standardError.write(Data(
                "sandbox: \(asked); boxes are cloned from this process instead (equally isolated, slower to start)\n"
                    .utf8))
        }
        csb_set_init_helper(path)
    }()

    /// Overrides the helper (nil: clone in-process). For tests and embedding applications.
    public static func use(_ path: String?) {
        _ = installed
        csb_set_init_helper(path)
    }
}
