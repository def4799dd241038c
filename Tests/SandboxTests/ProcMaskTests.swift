import Foundation
import Sandbox
import Testing

/// /proc inside the box hides what shows the host, as container runtimes mask it (runc's maskedPaths and
/// readonlyPaths): each entry is read (and written) by a program in the box.
@Suite struct ProcMaskTests {
    /// Files that must read as empty (masked by /dev/null) or be absent.
    static let masked = [
        "kallsyms", "kcore", "keys", "key-users", "timer_list", "sched_debug", "sysrq-trigger",
        "modules", "iomem", "ioports", "vmallocinfo", "latency_stats", "slabinfo", "interrupts",
        "softirqs", "zoneinfo",
    ]
    /// Directories that must list as empty or be absent.
    static let maskedDirs = ["acpi", "asound", "scsi", "irq", "bus", "fs", "driver", "sysvipc"]

    static let probe = """
        import os
        for name in \(masked):
            path = '/proc/' + name
            try:
                with open(path, 'rb') as f:
                    data = f.read(4096)
                print(name, 'bytes=%d' % len(data))
            except OSError as e:
                print(name, 'error=%s' % type(e).__name__)
        for name in \(maskedDirs):
            try:
                print(name, 'entries=%d' % len(os.listdir('/proc/' + name)))
            except OSError as e:
                print(name, 'error=%s' % type(e).__name__)
        for path, data in [('/proc/sys/kernel/hostname', b'x'), ('/proc/sysrq-trigger', b'b'),
                           ('/proc/sys/vm/drop_caches', b'3')]:
            try:
                with open(path, 'wb') as f:
                    f.write(data)
                print('write', path, 'WRITTEN')
            except OSError as e:
                print('write', path, 'refused')
        print('own', len(open('/proc/self/status').read()) > 0, len(open('/proc/sys/kernel/ostype').read()) > 0)
        """

    @Test(arguments: [true, false])
    func hostViewsAreMasked(warm: Bool) async throws {
        var profile = try Repo.profile("python")
        if !warm { profile.zygote = nil }
        let result = try await Sandbox().run(source: Self.probe, profile: profile)
        #expect(result.verdict == .ok, "\(result.run?.stderrText ?? "")")
        let lines = (result.run?.stdoutText ?? "").split(separator: "\n").map(String.init)
        for name in Self.masked {
            let line = lines.first { $0.hasPrefix(name + " ") } ?? "missing"
            #expect(line == "\(name) bytes=0" || line.hasPrefix("\(name) error="), "\(line)")
        }
        for name in Self.maskedDirs {
            let line = lines.first { $0.hasPrefix(name + " ") } ?? "missing"
            #expect(line == "\(name) entries=0" || line.hasPrefix("\(name) error="), "\(line)")
        }
        #expect(lines.filter { $0.hasPrefix("write ") }.count == 3)
        #expect(!lines.contains { $0.hasSuffix("WRITTEN") }, "\(lines)")
        // What the box needs of /proc still works.
        #expect(lines.last == "own True True", "\(lines)")
    }
}
