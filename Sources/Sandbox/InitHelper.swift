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
            let asked =
                env.map { "ARBITER_BOX_INIT=\($0) is not an executable" }
                ?? "no arbiter-box-init next to \(CommandLine.arguments.first ?? "this program")"
            FileHandle.standardError.write(
                Data(
                    "sandbox: \(asked); boxes are cloned from this process instead (equally isolated, slower to start)\n"
                        .utf8))
        }
        csb_set_init_helper(path)
    }()

    /// Overrides the helper (nil: clone in-process, and no zygote either). For tests and embedding applications.
    public static func use(_ path: String?) {
        _ = installed
        lock.withLock { serversOff = path == nil }
        csb_set_init_helper(path)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var serversOff = false
    nonisolated(unsafe) private static var servers: [String: String?] = [:]

    /// The path of the box server a profile's `zygote` names: a path, or an executable found where
    /// `arbiter-box-init` is. nil when box servers are off (`use(nil)`, `ARBITER_BOX_INIT=none`) or it is missing;
    /// a missing one is said once on stderr (runs then exec the interpreter: same isolation, slower start).
    static func server(named name: String) -> String? {
        _ = installed
        return lock.withLock {
            if serversOff || path == nil { return nil }
            if let known = servers[name] { return known }
            let found: String?
            if name.hasPrefix("/") {
                found = FileManager.default.isExecutableFile(atPath: name) ? name : nil
            } else {
                let dir = URL(fileURLWithPath: path!).deletingLastPathComponent()
                let candidate = dir.appendingPathComponent(name).path
                found = FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
            }
            if found == nil {
                FileHandle.standardError.write(
                    Data(
                        "sandbox: no zygote \(name) next to \(path!); its runs exec the interpreter (slower start)\n"
                            .utf8))
            }
            servers[name] = .some(found)
            return found
        }
    }

    /// Stops using the zygote `name`, whose server ended before answering; said once on stderr with `why`.
    static func serverFailed(named name: String, _ why: String) {
        lock.withLock {
            guard servers[name] != .some(nil) else { return }
            servers[name] = .some(nil)
            FileHandle.standardError.write(
                Data(
                    "sandbox: zygote \(name) cannot serve (\(why)); its runs exec the interpreter from now on\n".utf8))
        }
    }
}
