import Foundation
import Testing

/// The sandbox run by an unprivileged user: `reward run` as uid/gid 65534 (nobody), switched with `setpriv` when
/// the tests run as root, run directly otherwise. Without root there is no cgroup: the sandbox must refuse and name
/// what is missing, unless `--allow-weaker-isolation` is given; then the box still has its namespaces, read-only
/// file system, seccomp filter and wall-clock limit.
@Suite(.serialized)
struct NonRootSandboxTests {
    static let nobody = "65534"

    /// `reward run - <arguments>` with `program` on stdin, as an unprivileged user; returns the status and the JSON.
    func runAsNobody(_ program: String, _ arguments: [String] = []) throws -> (Int32, [String: Any]) {
        let reward = try Binary("reward").url.path
        let command = ["run", "-", "--sandboxes", Binary.repoRoot.appendingPathComponent("Sandboxes").path] + arguments
        let p = Process()
        if geteuid() == 0 {
            let setpriv = "/usr/bin/setpriv"
            guard FileManager.default.isExecutableFile(atPath: setpriv) else {
                throw BinaryError("\(setpriv) is missing (Debian package util-linux): cannot switch to uid 65534")
            }
            p.executableURL = URL(fileURLWithPath: setpriv)
            p.arguments = ["--reuid=\(Self.nobody)", "--regid=\(Self.nobody)", "--clear-groups", reward] + command
        } else {
            p.executableURL = URL(fileURLWithPath: reward)
            p.arguments = command
        }
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": "/tmp"]
        p.currentDirectoryURL = URL(fileURLWithPath: "/")
        let out = Pipe()
        let err = Pipe()
        let inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        try inp.fileHandleForWriting.write(contentsOf: Data(program.utf8))
        try inp.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let json = try? JSONSerialization.jsonObject(with: stdout) as? [String: Any] else {
            throw BinaryError(
                "reward run printed no JSON (status \(p.terminationStatus)): "
                    + "\(String(decoding: stdout, as: UTF8.self)) \(stderr)")
        }
        return (p.terminationStatus, json)
    }

    @Test func refusesWithoutCgroupAndNamesWhatIsMissing() throws {
        let (status, json) = try runAsNobody("print('ran')\n")
        #expect(status == 1)
        #expect(json["verdict"] as? String == "sandbox_error")
        let error = json["error"] as? String ?? ""
        #expect(error.contains("cgroup"), "\(error)")
        #expect(error.contains("needs root"), "\(error)")
        #expect(json["run"] == nil, "the program must not have run")
    }

    /// With weaker isolation allowed: new namespaces (uid 1000, hostname `box`, pid 2 under the box's init), the
    /// host's files read-only, no network.
    @Test func runsInABoxWithWeakerIsolationWhenAllowed() throws {
        let program = """
            import os, socket
            print(os.getuid(), os.getgid(), socket.gethostname(), os.getpid())
            try:
                open("/usr/arbiter-probe", "w")
                print("wrote /usr")
            except OSError as e:
                print("/usr", e.errno)
            print("shadow", os.path.exists("/etc/shadow"), "home", os.path.exists("/root"))
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.connect(("127.0.0.1", 22))
                print("connected")
            except OSError as e:
                print("net", e.errno)
            print(sorted(os.environ))

            """
        let (status, json) = try runAsNobody(program, ["--allow-weaker-isolation"])
        #expect(status == 0)
        let run = json["run"] as? [String: Any] ?? [:]
        #expect(json["verdict"] as? String == "ok", "\(json)")
        let lines = (run["stdout"] as? String ?? "").split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(json)")
        guard lines.count == 5 else { return }
        #expect(lines[0] == "1000 1000 box 2")
        #expect(lines[1] == "/usr \(EROFS)")
        #expect(lines[2] == "shadow False home False")
        // The box's own loopback is up and nothing listens on it: refused, never the host's port 22.
        #expect(lines[3] == "net \(ECONNREFUSED)")
        #expect(
            lines[4] == "['HOME', 'LANG', 'LC_ALL', 'OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'PATH', "
                + "'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED', 'TMPDIR']")
    }

    @Test func weakerIsolationKeepsTheWallClockLimit() throws {
        let (status, json) = try runAsNobody(
            "while True:\n    pass\n", ["--allow-weaker-isolation", "--wall-ms", "500"])
        #expect(status == 0)
        #expect(json["verdict"] as? String == "time_limit", "\(json)")
    }

    @Test func weakerIsolationKeepsTheSyscallFilter() throws {
        let program = "import socket\nsocket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)\nprint('netlink open')\n"
        let (status, json) = try runAsNobody(program, ["--allow-weaker-isolation"])
        #expect(status == 0)
        #expect(json["verdict"] as? String == "blocked_syscall", "\(json)")
    }
}
