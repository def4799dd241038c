import Foundation
import Sandbox
import Testing

/// Real attacks run inside the sandbox, asserting the verdict. Serialized, and each destructive attack (fork bomb,
/// kill(-1), memory bomb) first runs the harmless probe of the layer it targets in the same run and is skipped
/// with a recorded failure when that layer does not hold: a broken sandbox fails a test, never the machine.
@Suite(.serialized) struct SecurityTests {
    // MARK: - harmless probes

    @Test func machineProvidesEveryLayer() {
        let report = Sandbox.probe()
        #expect(report.complete, "missing isolation on this machine: \(report.detail)")
    }

    @Test func initHelperIsFound() {
        #expect(InitHelper.path != nil, "arbiter-box-init not found next to the test bundle: boxes clone this process")
    }

    /// The same probe with boxes cloned from this process instead of started through arbiter-box-init.
    @Test func inProcessClonesAreEquallyIsolated() async throws {
        InitHelper.use(nil)
        defer { InitHelper.use(InitHelper.path) }
        try await isolationProbe()
    }

    /// The python profile runs in the warm interpreter of `arbiter-python-zygote`, so every Python attack of this
    /// suite goes through that path; the probe below also runs exec'd.
    @Test func pythonRunsUseTheZygote() throws {
        let profile = try Repo.profile("python")
        #expect(profile.zygote == "arbiter-python-zygote")
        let dir = URL(fileURLWithPath: InitHelper.path ?? "/nonexistent").deletingLastPathComponent()
        #expect(
            FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("arbiter-python-zygote").path),
            "arbiter-python-zygote not built next to arbiter-box-init")
    }

    /// The same probe with the interpreter exec'd in the box instead of forked from the zygote.
    @Test func execedInterpreterIsEquallyIsolated() async throws {
        var profile = try Repo.profile("python")
        profile.zygote = nil
        try await isolationProbe(profile)
    }

    /// Identity, hostname, network interfaces, visible files, environment and fds inside the box.
    @Test func isolationProbe() async throws {
        try await isolationProbe(try Repo.profile("python"))
    }

    func isolationProbe(_ profile: Profile) async throws {
        let result = try await Sandbox().run(source: Attacks.isolationProbe, profile: profile)
        #expect(result.verdict == .ok, "\(result.run?.stderrText ?? "")")
        let lines = Dictionary(
            uniqueKeysWithValues: (result.run?.stdoutText ?? "").split(separator: "\n").map {
                let parts = $0.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            })
        #expect(lines["uid"] == "1000 1000")
        #expect(lines["hostname"] == "box")
        #expect(lines["interfaces"] == "lo")
        #expect(lines["root"] == "bin,dev,etc,lib,lib64,opt,proc,sbin,tmp,usr,work")
        #expect(lines["pids"] == "2")  // hidepid=2: not even the box's init
        #expect(lines["fds"] == "0,1,2")
        #expect(
            lines["env"] == "HOME,LANG,LC_ALL,OMP_NUM_THREADS,OPENBLAS_NUM_THREADS,PATH,PYTHONDONTWRITEBYTECODE,"
                + "PYTHONHASHSEED,TMPDIR")
        #expect(lines["nosuid_usr"] == "True")
        #expect(lines["caps"] == "0000000000000000")
        #expect(lines["no_new_privs"] == "1")
        #expect(lines["seccomp"] == "2")
    }

    struct Escape: Sendable, CustomTestStringConvertible {
        var id: String
        var code: String
        var testDescription: String { id }
    }

    /// Each snippet must raise; the program prints BLOCKED when it does and ESCAPED when it does not.
    static let escapes: [Escape] = [
        Escape(id: "read /etc/shadow", code: "open('/etc/shadow').read()"),
        Escape(id: "list /root", code: "os.listdir('/root')"),
        Escape(id: "list /home", code: "os.listdir('/home')"),
        Escape(id: "host /sys", code: "os.listdir('/sys/fs/cgroup')"),
        Escape(id: "write /usr", code: "open('/usr/evil', 'w').write('x')"),
        Escape(id: "write /", code: "open('/evil', 'w').write('x')"),
        Escape(id: "write /etc", code: "open('/etc/evil', 'w').write('x')"),
        Escape(id: "chmod /usr/bin/python3", code: "os.chmod('/usr/bin/python3', 0o777)"),
        Escape(id: "tcp loopback", code: "socket.create_connection(('127.0.0.1', 22), timeout=2)"),
        Escape(id: "tcp outside", code: "socket.create_connection(('1.1.1.1', 80), timeout=2)"),
        Escape(id: "dns", code: "socket.getaddrinfo('example.com', 80)"),
        Escape(
            id: "udp outside",
            code: "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('8.8.8.8', 53))"),
        Escape(id: "signal init", code: "os.kill(1, signal.SIGKILL); time.sleep(0.2); os.kill(1, 0)"),
        Escape(id: "setuid 0", code: "os.setuid(0)"),
        Escape(id: "block device", code: "open('/dev/sda', 'rb')"),
        Escape(id: "kernel memory", code: "open('/dev/mem', 'rb')"),
        Escape(id: "init's command line (the supervisor's)", code: "open('/proc/1/cmdline').read()"),
        Escape(id: "init's environment (the supervisor's)", code: "open('/proc/1/environ').read()"),
        // The running executable (python3.11, or the zygote binary in a warm run) through its magic link.
        Escape(id: "overwrite own executable", code: "open('/proc/self/exe', 'r+b').write(b'x')"),
        Escape(id: "init's memory (the zygote's heap in a warm run)", code: "open('/proc/1/mem', 'rb').read(1)"),
        Escape(id: "a host file through init's root", code: "os.listdir('/proc/1/root/root')"),
    ]

    @Test(arguments: escapes)
    func escapeAttemptFails(_ e: Escape) async throws {
        let source =
            "import os, signal, socket, time\ntry:\n    \(e.code)\n    print('ESCAPED')\nexcept BaseException as x:\n    print('BLOCKED', type(x).__name__, x)\n"
        let result = try await runProgram("python", source)
        let out = result.run?.stdoutText ?? ""
        #expect(out.hasPrefix("BLOCKED") || result.verdict == .blockedSyscall, "\(e.id): \(out) \(result.verdict)")
    }

    @Test func hostFilesStayUntouched() async throws {
        let marker = "/tmp/arbiter-sandbox-escape-\(getpid())"
        let source =
            "for p in ['\(marker)', '/work/../tmp/x', '/tmp/x']:\n    try:\n        open(p, 'w').write('x')\n    except OSError:\n        pass\n"
        let result = try await runProgram("python", source)
        #expect(result.verdict == .ok)
        #expect(!FileManager.default.fileExists(atPath: marker), "the box wrote to the host's /tmp")
    }

    /// Files collected after the run are never read through symlinks or from FIFOs.
    @Test func collectDoesNotFollowSymlinks() async throws {
        let profile = try Repo.profile("python")
        var execution = Execution(profile: profile)
        execution.files["main.py"] = Array(
            """
            import os
            os.symlink('/etc/shadow', 'shadow')
            os.symlink('/etc/hostname', 'hostname')
            os.mkfifo('fifo')
            os.mkdir('d'); os.symlink('/etc', 'e')
            open('plain.txt', 'w').write('plain')
            """.utf8)
        execution.collect = ["shadow", "hostname", "fifo", "e/passwd", "plain.txt", "../etc/passwd", "/etc/passwd"]
        let result = try await Sandbox().run(execution)
        #expect(result.verdict == .ok, "\(result.stderrText)")
        #expect(Set(result.files.keys) == ["plain.txt"])
        #expect(result.files["plain.txt"] == Array("plain".utf8))
    }

    @Test func badPathsAreRejected() async throws {
        let profile = try Repo.profile("python")
        for bad in ["../x", "/etc/x", "a/../../x", "", "a//b", "./x"] {
            var execution = Execution(profile: profile)
            execution.files["main.py"] = Array("pass".utf8)
            execution.files[bad] = [1]
            await #expect(throws: SandboxError.self, "path '\(bad)'") { try await Sandbox().run(execution) }
        }
    }

    struct Syscall: Sendable, CustomTestStringConvertible {
        var id: String
        var statement: String
        var testDescription: String { id }
    }

    /// C programs making forbidden calls: each must die with SIGSYS (verdict blocked syscall).
    static let forbiddenSyscalls: [Syscall] = [
        Syscall(id: "ptrace", statement: "r = ptrace(PTRACE_TRACEME, 0, 0, 0);"),
        Syscall(id: "io_uring_setup", statement: "char p[256] = {0}; r = syscall(425, 8, p);"),
        Syscall(id: "unshare user", statement: "r = unshare(CLONE_NEWUSER);"),
        Syscall(id: "unshare net", statement: "r = unshare(CLONE_NEWNET);"),
        Syscall(id: "clone newuser", statement: "r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);"),
        Syscall(id: "setns", statement: "r = setns(0, 0);"),
        Syscall(id: "mount", statement: "r = mount(\"none\", \"/tmp\", \"tmpfs\", 0, 0);"),
        Syscall(id: "chroot", statement: "r = chroot(\"/tmp\");"),
        Syscall(id: "bpf", statement: "r = syscall(SYS_bpf, 0, 0, 0);"),
        Syscall(id: "perf_event_open", statement: "r = syscall(SYS_perf_event_open, 0, 0, -1, -1, 0);"),
        Syscall(id: "userfaultfd", statement: "r = syscall(SYS_userfaultfd, 0);"),
        Syscall(id: "keyctl", statement: "r = syscall(SYS_keyctl, 0, 0, 0, 0, 0);"),
        Syscall(id: "add_key", statement: "r = syscall(SYS_add_key, \"user\", \"k\", \"v\", 1, -2);"),
        Syscall(id: "kexec_load", statement: "r = syscall(SYS_kexec_load, 0, 0, 0, 0);"),
        Syscall(id: "process_vm_readv", statement: "r = syscall(SYS_process_vm_readv, 1, 0, 0, 0, 0, 0);"),
        Syscall(id: "personality", statement: "r = syscall(SYS_personality, 0x0400000);"),
        Syscall(id: "socket AF_NETLINK", statement: "r = socket(16, SOCK_RAW, 0);"),
        Syscall(id: "socket AF_PACKET", statement: "r = socket(17, SOCK_RAW, 0);"),
        Syscall(
            id: "i386 int 0x80 getpid",
            statement: "__asm__ volatile(\"int $0x80\" : \"=a\"(r) : \"a\"(20L) : \"memory\");"),
        Syscall(
            id: "i386 int 0x80 setuid",
            statement: "__asm__ volatile(\"int $0x80\" : \"=a\"(r) : \"a\"(23L), \"b\"(0L) : \"memory\");"),
        Syscall(id: "x32 getpid", statement: "r = syscall(0x40000000 | SYS_getpid);"),
        Syscall(id: "init_module", statement: "r = syscall(SYS_init_module, 0, 0, \"\");"),
        Syscall(id: "reboot", statement: "r = syscall(SYS_reboot, 0xfee1dead, 672274793, 0x1234567, 0);"),
    ]

    @Test(arguments: forbiddenSyscalls)
    func forbiddenSyscallKills(_ s: Syscall) async throws {
        let source = """
            #define _GNU_SOURCE
            #include <sched.h>
            #include <signal.h>
            #include <stdio.h>
            #include <sys/mount.h>
            #include <sys/ptrace.h>
            #include <sys/socket.h>
            #include <sys/syscall.h>
            #include <unistd.h>
            int main(void) { long r = 0; \(s.statement) printf("survived %ld\\n", r); return 0; }
            """
        let result = try await runProgram("c", source)
        #expect(result.compile?.verdict == .ok, "compile: \(result.compile?.stderrText ?? "")")
        #expect(result.verdict == .blockedSyscall, "\(s.id): \(result.verdict) \(result.run?.stdoutText ?? "")")
    }

    /// Python's own route to a forbidden call (ctypes).
    @Test func ptraceFromPythonIsBlocked() async throws {
        let result = try await runProgram(
            "python", "import ctypes\nctypes.CDLL(None).ptrace(0, 0, 0, 0)\nprint('survived')\n")
        #expect(result.verdict == .blockedSyscall)
    }

    // MARK: - time and output

    @Test func sleepForeverHitsTheWallClock() async throws {
        let result = try await runProgram("python", "import time\ntime.sleep(1000)\n") { $0.wallTimeMs = 800 }
        #expect(result.verdict == .timeLimit)
        #expect((result.run?.wallTime ?? 99) < 3)
    }

    @Test func cpuBombHitsTheCPULimit() async throws {
        let result = try await runProgram("python", "while True:\n    pass\n") {
            $0.cpuTimeS = 1
            $0.wallTimeMs = 30_000  // far away: the CPU limit must be what stops it, even on a loaded machine
        }
        #expect(result.verdict == .timeLimit)
        #expect(
            result.run?.signal == SIGXCPU || result.run?.signal == SIGKILL, "\(String(describing: result.run?.signal))")
        #expect((result.run?.cpuTime ?? 0) >= 0.5)  // rusage samples at tick granularity
        #expect((result.run?.wallTime ?? 99) < 30)
    }

    @Test func outputBombHitsTheOutputLimit() async throws {
        let result = try await runProgram("python", "import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n") {
            $0.stdoutBytes = 100_000
        }
        #expect(result.verdict == .outputLimit)
        #expect(result.run?.stdoutTruncated == true)
        #expect(result.run?.stdout.count == 100_000)
    }

    @Test func stderrFloodIsCappedAndFlagged() async throws {
        let result = try await runProgram(
            "python", "import sys\nfor _ in range(100):\n    sys.stderr.write('e' * 10000)\nprint('done')\n"
        ) {
            $0.stderrBytes = 5000
        }
        #expect(result.verdict == .ok)
        #expect(result.run?.stderrTruncated == true)
        #expect(result.run?.stderr.count == 5000)
        #expect(result.run?.stdoutText == "done\n")
    }

    @Test func diskBombHitsTheFileLimit() async throws {
        let result = try await runProgram(
            "python", "with open('big', 'wb') as f:\n    while True:\n        f.write(b'x' * (1 << 20))\n"
        ) {
            $0.fileSizeBytes = 8 << 20
        }
        #expect(result.verdict == .outputLimit, "\(result.verdict) \(result.run?.stderrText ?? "")")
    }

    @Test func tmpBombFillsOnlyItsTmpfs() async throws {
        let result = try await runProgram(
            "python", "i = 0\nwhile True:\n    open(f'/tmp/f{i}', 'wb').write(b'x' * (1 << 20)); i += 1\n"
        ) {
            $0.tmpBytes = 4 << 20
        }
        #expect(result.verdict == .outputLimit, "\(result.verdict) \(result.run?.stderrText ?? "")")
    }

    /// A daemon (double fork, setsid) must not outlive its box.
    @Test func daemonDiesWithTheBox() async throws {
        let tag = "31\(getpid() % 10000).25"
        let source = """
            import os
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv('/bin/sleep', ['sleep', '\(tag)'])
                os._exit(0)
            print('parent done')
            """
        let result = try await runProgram("python", source)
        #expect(result.verdict == .ok)
        #expect(
            await eventually { HostProcesses.withArgument(tag).isEmpty },
            "a daemon from the box is still running on the host 5 s after its box ended")
    }

    // MARK: - destructive attacks, each after its layer's probe

    /// Probe for the pids layer: a program that starts many sleeping processes must be stopped at the limit.
    static func processLimitHolds() async throws -> Bool {
        let source = """
            import os, time
            n = 0
            for _ in range(200):
                try:
                    if os.fork() == 0:
                        time.sleep(5); os._exit(0)
                    n += 1
                except OSError:
                    break
            print(n)
            """
        let result = try await runProgram("python", source) { $0.processes = 16 }
        let started = Int(result.run?.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 999
        return started < 16
    }

    @Test func forkBombIsContained() async throws {
        guard try await SecurityTests.processLimitHolds() else {
            Issue.record("the process limit does not hold: the fork bomb was not run")
            return
        }
        let before = HostProcesses.count()
        let result = try await runProgram(
            "python", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
        ) {
            $0.processes = 32
            $0.wallTimeMs = 2000
        }
        #expect(result.verdict != .ok)
        #expect(
            await eventually { HostProcesses.count() < before + 20 },
            "fork bomb processes survived the box by 5 s")
    }

    /// Probe for the pid namespace: the box sees only its own processes, and pid 1 is the box's init.
    static func pidNamespaceHolds() async throws -> Bool {
        let source = "import os\nprint(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()), os.getpid())\n"
        let result = try await runProgram("python", source)
        return result.run?.stdoutText == "[2] 2\n"
    }

    @Test func killAllSignalsOnlyTheBox() async throws {
        guard try await SecurityTests.pidNamespaceHolds() else {
            Issue.record("the pid namespace does not hold: kill(-1) was not run")
            return
        }
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer { sleeper.terminate() }
        let source = """
            import os, signal, time
            child = os.fork()
            if child == 0:
                time.sleep(30); os._exit(0)
            os.kill(-1, signal.SIGKILL)
            _, status = os.waitpid(child, 0)
            print('sibling killed' if os.WIFSIGNALED(status) else 'sibling alive')
            """
        let result = try await runProgram("python", source)
        #expect(result.verdict == .ok)
        #expect(result.run?.stdoutText == "sibling killed\n")
        #expect(sleeper.isRunning, "kill(-1) in the box reached a host process")
    }

    /// Probe for the memory cgroup: usage is accounted for the box.
    static func memoryCgroupHolds() async throws -> Bool {
        let result = try await runProgram("python", "x = b'x' * (40 << 20)\nprint(len(x))\n") {
            $0.memoryBytes = 256 << 20
        }
        return result.verdict == .ok && (result.run?.memoryPeakBytes ?? 0) >= 40 << 20
    }

    @Test func memoryBombHitsTheMemoryLimit() async throws {
        guard try await SecurityTests.memoryCgroupHolds() else {
            Issue.record("the memory cgroup does not account the box: the memory bomb was not run")
            return
        }
        let result = try await runProgram("python", "l = []\nwhile True:\n    l.append(b'x' * (1 << 20))\n") {
            $0.memoryBytes = 128 << 20
            $0.addressSpaceBytes = 0
        }
        #expect(result.verdict == .memoryLimit, "\(result.verdict)")
        #expect((result.run?.memoryPeakBytes ?? 0) <= 130 << 20)
    }

    @Test func memoryBombAcrossProcessesHitsTheTreeLimit() async throws {
        guard try await SecurityTests.memoryCgroupHolds() else {
            Issue.record("the memory cgroup does not account the box: the memory bomb was not run")
            return
        }
        let source = """
            import os, time
            for _ in range(8):
                if os.fork() == 0:
                    x = b'x' * (60 << 20); time.sleep(5); os._exit(0)
            for _ in range(8):
                os.wait()
            """
        let result = try await runProgram("python", source) { $0.memoryBytes = 128 << 20 }
        #expect(result.verdict != .ok || (result.run?.memoryPeakBytes ?? 0) <= 130 << 20)
        #expect((result.run?.memoryPeakBytes ?? 0) <= 130 << 20)
    }

    @Test func manyBoxesRunConcurrently() async throws {
        let results = try await withThrowingTaskGroup(of: ProgramResult.self) { group in
            for i in 0..<12 {
                group.addTask { try await runProgram("python", "print(\(i) * 2)\n") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 12)
        #expect(results.allSatisfy { $0.verdict == .ok })
        #expect(Set(results.compactMap { $0.run?.stdoutText }) == Set((0..<12).map { "\($0 * 2)\n" }))
    }
}

/// The host's process table, read from /proc.
enum HostProcesses {
    static func pids() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { $0.allSatisfy(\.isNumber) }
    }

    static func count() -> Int { pids().count }

    /// Pids whose command line contains `argument`.
    static func withArgument(_ argument: String) -> [String] {
        pids().filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == argument }
        }
    }
}

enum Attacks {
    /// Prints key=value facts about the inside of the box.
    static let isolationProbe = """
        import os, socket
        print('uid=%d %d' % (os.getuid(), os.getgid()))
        print('hostname=' + socket.gethostname())
        ifs = [l.split(':')[0].strip() for l in open('/proc/net/dev').read().splitlines()[2:]]
        print('interfaces=' + ','.join(sorted(ifs)))
        print('root=' + ','.join(sorted(os.listdir('/'))))
        print('pids=' + ','.join(sorted(p for p in os.listdir('/proc') if p.isdigit())))
        fds = sorted(int(f) for f in os.listdir('/proc/self/fd'))
        print('fds=' + ','.join(str(f) for f in fds[:-1]))
        print('env=' + ','.join(sorted(os.environ)))
        print('nosuid_usr=%s' % bool(os.statvfs('/usr').f_flag & os.ST_NOSUID))
        status = dict(l.split(':\\t', 1) for l in open('/proc/self/status').read().splitlines() if ':\\t' in l)
        print('caps=' + status['CapEff'].strip())
        print('no_new_privs=' + status['NoNewPrivs'].strip())
        print('seccomp=' + status['Seccomp'].strip())
        """
}

/// Prestarted boxes are never reused: what one run leaves behind is gone for the next.
@Suite struct BoxReuseTests {
    @Test func nothingCarriesOverBetweenRuns() async throws {
        let leave = "for p in ['/work/left', '/tmp/left', '/dev/shm/left']:\n    open(p, 'w').write('x')\nprint('ok')\n"
        let look = "import os\nprint(sorted(os.listdir('/work')), os.listdir('/tmp'), os.listdir('/dev/shm'))\n"
        for _ in 0..<3 {
            let first = try await runProgram("python", leave)
            #expect(first.run?.stdoutText == "ok\n", "\(first.run?.stderrText ?? "")")
            let second = try await runProgram("python", look)
            #expect(second.run?.stdoutText == "['main.py'] [] []\n")
        }
    }

    @Test func runningBoxHonoursAMovedDeadline() async throws {
        let profile = try Repo.profile("python")
        var execution = Execution(profile: profile)
        execution.files["main.py"] = Array("import time\ntime.sleep(1000)\n".utf8)
        execution.limits.wallTimeMs = 600_000
        let box = try await Sandbox().launch(execution)
        box.setDeadline(wallTimeMs: 500)
        let result = try await box.result()
        #expect(result.verdict == .timeLimit)
        #expect(result.wallTime < 3)
    }
}
