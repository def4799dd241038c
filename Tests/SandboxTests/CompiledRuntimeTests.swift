import Sandbox
import Testing

/// The java, go, rust and typescript profiles: each compiles one program once (in its own box) whose stdin picks
/// what it does, then runs it in fresh boxes: doubling a number (stdin/stdout), a busy loop (time limit), a
/// memory bomb (memory limit) and the attack classes of `SecurityTests` (files, network, processes, kernel
/// surface), each printing `name=BLOCKED` or `name=ESCAPED`. A second program does not compile.
@Suite struct CompiledRuntimeTests {
    struct Runtime: Sendable, CustomTestStringConvertible {
        var language: String
        var program: String
        var broken: String
        /// The last attack is a raw syscall the filter kills (go, rust); the others end normally.
        var endsWithBlockedSyscall: Bool
        var testDescription: String { language }
    }

    static let attacks = ["shadow", "write_usr", "sys", "devmem", "net", "kill_init", "threads"]

    static let runtimes: [Runtime] = [
        Runtime(
            language: "java",
            program: #"""
                import java.io.*; import java.net.*; import java.nio.file.*; import java.util.*;
                public class Main {
                    interface Attack { void run() throws Exception; }
                    static void t(String name, Attack a) {
                        try { a.run(); System.out.println(name + "=ESCAPED"); }
                        catch (Throwable e) { System.out.println(name + "=BLOCKED"); }
                    }
                    public static void main(String[] args) throws Exception {
                        Scanner in = new Scanner(System.in);
                        String mode = in.next();
                        if (mode.equals("double")) { System.out.println(in.nextLong() * 2); return; }
                        if (mode.equals("loop")) { long x = 0; while (true) x++; }
                        if (mode.equals("bomb")) {
                            List<long[]> keep = new ArrayList<>();
                            while (true) keep.add(new long[1 << 20]);
                        }
                        t("shadow", () -> Files.readAllBytes(Paths.get("/etc/shadow")));
                        t("write_usr", () -> Files.write(Paths.get("/usr/evil"), new byte[] {1}));
                        t("sys", () -> { if (!new File("/sys/fs/cgroup").isDirectory()) throw new IOException(); });
                        t("devmem", () -> new FileInputStream("/dev/mem").read());
                        t("net", () -> new Socket().connect(new InetSocketAddress("1.1.1.1", 80), 2000));
                        t("kill_init", () -> {
                            if (new ProcessBuilder("/bin/kill", "-9", "1").start().waitFor() != 0) throw new Exception();
                        });
                        t("threads", () -> {
                            for (int i = 0; i < 1000; i++) { Thread th = new Thread(() -> { try { Thread.sleep(3000); }
                                catch (InterruptedException e) {} }); th.setDaemon(true); th.start(); }
                        });
                    }
                }
                """#, broken: "public class Main { public static void main(String[] a) { int x = ; } }\n",
            endsWithBlockedSyscall: false),
        Runtime(
            language: "go",
            program: #"""
                package main
                import ("fmt"; "net"; "os"; "os/exec"; "syscall"; "time")
                func t(name string, err error) {
                    if err == nil { fmt.Println(name + "=ESCAPED") } else { fmt.Println(name + "=BLOCKED") }
                }
                func main() {
                    var mode string
                    fmt.Scan(&mode)
                    switch mode {
                    case "double": var n int64; fmt.Scan(&n); fmt.Println(n * 2); return
                    case "loop": x := 0; for { x++; if x < 0 { fmt.Println(x) } }
                    case "bomb": var keep [][]byte; for { b := make([]byte, 1<<20); for i := range b { b[i] = 1 }; keep = append(keep, b) }
                    }
                    _, err := os.ReadFile("/etc/shadow"); t("shadow", err)
                    t("write_usr", os.WriteFile("/usr/evil", []byte("x"), 0644))
                    _, err = os.ReadDir("/sys/fs/cgroup"); t("sys", err)
                    _, err = os.Open("/dev/mem"); t("devmem", err)
                    _, err = net.DialTimeout("tcp", "1.1.1.1:80", 2*time.Second); t("net", err)
                    t("kill_init", syscall.Kill(1, syscall.SIGKILL))
                    var threads error
                    for i := 0; i < 1000 && threads == nil; i++ { threads = exec.Command("/bin/sleep", "3").Start() }
                    t("threads", threads)
                    syscall.RawSyscall(syscall.SYS_UNSHARE, syscall.CLONE_NEWUSER, 0, 0)
                    fmt.Println("unshare=ESCAPED")
                }
                """#, broken: "package main\nfunc main() { x := }\n", endsWithBlockedSyscall: true),
        Runtime(
            language: "rust",
            program: #"""
                use std::io::Read;
                extern "C" { fn unshare(flags: i32) -> i32; fn kill(pid: i32, sig: i32) -> i32; }
                fn t<T, E>(name: &str, r: Result<T, E>) {
                    println!("{}={}", name, if r.is_ok() { "ESCAPED" } else { "BLOCKED" });
                }
                fn main() {
                    let mut s = String::new();
                    std::io::stdin().read_to_string(&mut s).unwrap();
                    let w: Vec<&str> = s.split_whitespace().collect();
                    match w[0] {
                        "double" => { println!("{}", w[1].parse::<i64>().unwrap() * 2); return; }
                        "loop" => { let mut x: u64 = 1; loop { x = x.wrapping_mul(3); if x == 0 { println!("{}", x); } } }
                        "bomb" => { let mut keep = Vec::new(); loop { keep.push(vec![1u8; 1 << 20]); } }
                        _ => {}
                    }
                    t("shadow", std::fs::read("/etc/shadow"));
                    t("write_usr", std::fs::write("/usr/evil", b"x"));
                    t("sys", std::fs::read_dir("/sys/fs/cgroup"));
                    t("devmem", std::fs::File::open("/dev/mem"));
                    let addr = "1.1.1.1:80".parse().unwrap();
                    t("net", std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2)));
                    t("kill_init", if unsafe { kill(1, 9) } == 0 { Ok(()) } else { Err(()) });
                    let mut threads: Result<(), std::io::Error> = Ok(());
                    for _ in 0..1000 {
                        let r = std::thread::Builder::new().spawn(|| std::thread::sleep(std::time::Duration::from_secs(3)));
                        if let Err(e) = r { threads = Err(e); break; }
                    }
                    t("threads", threads);
                    unsafe { unshare(0x10000000); }
                    println!("unshare=ESCAPED");
                }
                """#, broken: "fn main() { let x = ; }\n", endsWithBlockedSyscall: true),
        Runtime(
            language: "typescript",
            program: #"""
                import * as fs from 'fs';
                import * as net from 'net';
                import * as cp from 'child_process';
                const words: string[] = fs.readFileSync(0, 'utf8').split(/\s+/);
                function t(name: string, attack: () => void): void {
                    try { attack(); console.log(name + '=ESCAPED'); } catch (e) { console.log(name + '=BLOCKED'); }
                }
                if (words[0] === 'double') { console.log(BigInt(words[1]) * 2n + ''); process.exit(0); }
                if (words[0] === 'loop') { let x = 0; while (true) { x++; } }
                if (words[0] === 'bomb') { const keep: Buffer[] = []; while (true) keep.push(Buffer.alloc(1 << 24, 1)); }
                t('shadow', () => fs.readFileSync('/etc/shadow'));
                t('write_usr', () => fs.writeFileSync('/usr/evil', 'x'));
                t('sys', () => fs.readdirSync('/sys/fs/cgroup'));
                t('devmem', () => fs.openSync('/dev/mem', 'r'));
                const s = net.connect({ host: '1.1.1.1', port: 80 });
                s.setTimeout(2000, () => { console.log('net=BLOCKED'); s.destroy(); rest(); });
                s.on('connect', () => { console.log('net=ESCAPED'); s.destroy(); rest(); });
                s.on('error', () => { console.log('net=BLOCKED'); rest(); });
                function rest(): void {
                    t('kill_init', () => process.kill(1, 'SIGKILL'));
                    t('threads', () => {
                        for (let i = 0; i < 1000; i++) cp.spawn('/bin/sleep', ['3']).on('error', () => {});
                        const r = cp.spawnSync('/bin/true');
                        if (r.error || r.status !== 0) throw new Error('no more processes');
                    });
                    process.exit(0);
                }
                """#, broken: "let x: number = ;\n", endsWithBlockedSyscall: false),
    ]

    func prepared(_ r: Runtime) async throws -> PreparedProgram {
        let program = try await Sandbox().prepare(source: r.program, profile: try Repo.profile(r.language))
        let compiled = program.runnable
        #expect(compiled, "\(r.language) did not compile: \(program.compile?.stderrText.prefix(800) ?? "")")
        return program
    }

    @Test(arguments: runtimes)
    func runsCompiledProgramsWithinTheirLimits(_ r: Runtime) async throws {
        let program = try await prepared(r)
        guard program.runnable else { return }  // recorded by `prepared`
        let sandbox = Sandbox()
        let doubled = try await sandbox.run(program, stdin: Array("double 21\n".utf8))
        #expect(doubled.verdict == .ok, "\(r.language): \(doubled.stderrText.prefix(500))")
        #expect(doubled.stdoutText == "42\n")

        var short = program.profile.limits
        short.wallTimeMs = 2000
        short.cpuTimeS = 2
        let loop = try await sandbox.run(program, stdin: Array("loop\n".utf8), limits: short)
        #expect(loop.verdict == .timeLimit, "\(r.language): \(loop.verdict) \(loop.stderrText.prefix(300))")

        var small = program.profile.limits
        small.memoryBytes = 256 << 20
        small.wallTimeMs = 30_000  // a loaded machine must not turn the memory verdict into a time one
        small.cpuTimeS = 30
        let bomb = try await sandbox.run(program, stdin: Array("bomb\n".utf8), limits: small)
        #expect(bomb.verdict == .memoryLimit, "\(r.language): \(bomb.verdict) \(bomb.stderrText.prefix(300))")

        let attacked = try await sandbox.run(program, stdin: Array("attacks\n".utf8))
        let lines = attacked.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines == Self.attacks.map { $0 + "=BLOCKED" }, "\(r.language): \(attacked.stderrText.prefix(300))")
        #expect(attacked.verdict == (r.endsWithBlockedSyscall ? .blockedSyscall : .ok), "\(r.language)")
    }

    @Test(arguments: runtimes)
    func aCompileErrorStopsBeforeRunning(_ r: Runtime) async throws {
        let program = try await Sandbox().prepare(source: r.broken, profile: try Repo.profile(r.language))
        #expect(!program.runnable)
        #expect(program.compile?.verdict != .ok)
        #expect(
            program.compile?.stderrText.lowercased().contains("error") == true,
            "\(r.language): \(program.compile?.stderrText.prefix(300) ?? "")")
    }
}
