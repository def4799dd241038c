import Foundation
import Sandbox

/// The candidate driver as the files a Python box gets: a two-line bootstrap as the profile's source file and
/// `driver.bin`, the driver's code object marshalled by the profile's own interpreter (compiled once per process
/// and profile, in a box like any other), so that no candidate pays for compiling the driver (~3 ms CPU a start).
/// Marshal data is only valid for the interpreter that wrote it: it is never stored anywhere but in memory. When
/// the compile box fails, the driver ships as source (slower, same behaviour).
final class DriverCode: @unchecked Sendable {
    static let shared = DriverCode()
    static let compiledName = "driver.bin"
    static let bootstrap = Array("import marshal\nexec(marshal.loads(open(\"driver.bin\", \"rb\").read()))\n".utf8)
    static let compileScript = Array(
        """
        import marshal, sys
        sys.stdout.buffer.write(marshal.dumps(compile(open("driver.py", "rb").read(), "driver.py", "exec")))

        """.utf8)

    private let lock = NSLock()
    /// One compilation per profile, shared by every caller that asks while it runs and after.
    private var compiled: [Profile: Task<[String: [UInt8]], Never>] = [:]

    /// The driver's files for `profile` (its source file and `driver.bin`, or the source file alone as plain
    /// source when the interpreter could not compile it).
    func files(sandbox: Sandbox, profile: Profile) async -> [String: [UInt8]] {
        let task = lock.withLock {
            if let known = compiled[profile] { return known }
            let started = Task { await DriverCode.compile(sandbox: sandbox, profile: profile) }
            compiled[profile] = started
            return started
        }
        return await task.value
    }

    private static func compile(sandbox: Sandbox, profile: Profile) async -> [String: [UInt8]] {
        var e = Execution(profile: profile)
        e.files[profile.source] = compileScript
        e.files["driver.py"] = PythonHarness.driver
        if let ran = try? await sandbox.run(e), ran.verdict == .ok, !ran.stdout.isEmpty, !ran.stdoutTruncated {
            return [profile.source: bootstrap, compiledName: ran.stdout]
        }
        return [profile.source: PythonHarness.driver]
    }
}
