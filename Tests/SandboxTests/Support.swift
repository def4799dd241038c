import Foundation
import Sandbox

/// Repository paths and shared helpers of the sandbox tests.
enum Repo {
    /// `<repo>/Sandboxes`, found from this file's path.
    static let sandboxes: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sandboxes").path

    static func profiles() throws -> Profiles { try Profiles(directory: sandboxes) }

    static func profile(_ language: String) throws -> Profile { try profiles().profile(for: language) }
}

/// Runs `source` in the profile for `language` with optional limit changes.
func runProgram(
    _ language: String, _ source: String, stdin: String? = nil,
    _ adjust: (inout Limits) -> Void = { _ in }
) async throws -> ProgramResult {
    let profile = try Repo.profile(language)
    var limits = profile.limits
    adjust(&limits)
    return try await Sandbox().run(
        source: source, profile: profile, stdin: stdin.map { Array($0.utf8) },
        limits: limits)
}

/// Polls `condition` every 20 ms until it holds (true) or `timeout` seconds have passed (false): what a test waits
/// for is a condition, never a fixed time.
func eventually(timeout: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return true
}
