import Foundation
import Sandbox
import Testing

@testable import CodeRewards

/// The candidate driver ships compiled by the box's own interpreter, behind a bootstrap, and still grades.
@Suite struct DriverCodeTests {
    @Test func driverIsCompiledByTheProfilesInterpreter() async throws {
        let profile = try Profiles(directory: Fixtures.sandboxes).profile(for: "python")
        let files = await DriverCode.shared.files(sandbox: Sandbox(), profile: profile)
        #expect(files[profile.source] == DriverCode.bootstrap)
        let code = try #require(files[DriverCode.compiledName], "no compiled driver: \(files.keys.sorted())")
        // marshal's TYPE_CODE ('c'), with or without FLAG_REF (0x80): a code object, not an error text.
        #expect(code.first == UInt8(ascii: "c") || code.first == UInt8(ascii: "c") | 0x80, "\(code.prefix(16))")
        // The bootstrap runs that code: the driver answers a call as plain data.
        var e = Execution(profile: profile)
        e.files = files
        e.files["solution.py"] = Array("def f(x):\n    return [x, x]\n".utf8)
        e.stdin = .bytes(Array("{\"call\": \"f\", \"args\": [3]}\n".utf8))
        let ran = try await Sandbox().run(e)
        #expect(
            ran.stdoutText == "{\"load\": \"ok\", \"names\": {\"f\": \"call\"}}\n{\"ok\": [3, 3]}\n",
            "\(ran.verdict) \(ran.stderrText)")
    }
}
