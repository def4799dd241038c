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
func runProgram(_ language: String, _ source: String, stdin: String? = nil,
                _ adjust: (inout Limits) -> Void = { _ in }) async throws -> ProgramResult {
    let profile = try Repo.profile(language)
    var limits = profile.limits
    adjust(&limits)
    return try await Sandbox().run(source: source, profile: profile, stdin: stdin.map { Array($0.utf8) },
                                   limits: limits)
}
