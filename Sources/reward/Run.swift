import ArgumentParser
import CodeRewards
import Foundation
import RewardKit
import Sandbox

/// `reward run`: one program in a sandbox profile; prints the verdict, times, memory and output as JSON.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one program in the sandbox and print its verdict, times, memory and output as JSON.",
        discussion: """
            The profile (Sandboxes/<language>.conf) gives the command lines and default limits; options override \
            the limits. Compiled languages are compiled in their own box first. Exit status 0 whatever the \
            program did; 1 when the sandbox itself failed (verdict sandbox_error).
            """)

    @Argument(help: "Program file; '-' reads the program from stdin (then the program's stdin is empty).")
    var program: String

    @Option(
        name: .shortAndLong,
        help: ArgumentHelp(
            "Language (profile name or alias): python, pytest, c, cpp, java, go, rust, javascript, typescript, bash.",
            discussion: "Default: the profile whose source file has the program file's extension (p.c runs as C); "
                + "python for a program read from stdin."))
    var language: String?

    @Option(help: "File whose bytes are the program's stdin (default: empty).")
    var stdin: String?

    @Option(help: "Wall-clock limit in milliseconds (default: the profile's).")
    var wallMs: UInt64?

    @Option(help: "Memory limit of the whole process tree in MiB (default: the profile's).")
    var memoryMib: UInt64?

    @Option(help: "Directory of sandbox profiles (default: $ARBITER_SANDBOXES or the nearest Sandboxes/).")
    var sandboxes: String?

    @Flag(help: "Run even without a cgroup (limits per process only) instead of refusing.")
    var allowWeakerIsolation = false

    func run() async throws {
        let profiles = try sandboxes.map { try Profiles(directory: $0) } ?? Profiles()
        let profile =
            try language.map { try profiles.profile(for: $0) }
            ?? (program == "-" ? profiles.profile(for: "python") : profiles.profile(forFile: program))
        let source: String
        if program == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: program) else {
                throw ValidationError("cannot read program file \(program)")
            }
            source = String(decoding: data, as: UTF8.self)
        }
        var input: [UInt8]? = nil
        if let stdin {
            guard let data = FileManager.default.contents(atPath: stdin) else {
                throw ValidationError("cannot read stdin file \(stdin)")
            }
            input = Array(data)
        }
        var limits = profile.limits
        if let wallMs { limits.wallTimeMs = wallMs }
        if let memoryMib { limits.memoryBytes = memoryMib << 20 }
        let sandbox = Sandbox(options: .init(allowWeakerIsolation: allowWeakerIsolation))
        let report = await RunReport.run(
            source: source, profile: profile, stdin: input, limits: limits,
            sandbox: sandbox)
        print(report.jsonText)
        if report.objectValue?["verdict"]?.stringValue == "sandbox_error" { throw ExitCode(1) }
    }
}
