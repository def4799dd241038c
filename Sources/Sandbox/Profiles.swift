import Foundation

/// The runtime profiles of a `Sandboxes/` directory (every `*.conf` but `common.conf`).
public struct Profiles: Sendable {
    public let directory: String
    public let all: [Profile]

    /// Loads every profile of `directory`.
    public init(directory: String) throws {
        self.directory = directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw SandboxError(.profile, step: directory, detail: "cannot list the profile directory")
        }
        all = try names.filter { $0.hasSuffix(".conf") && $0 != "common.conf" }.sorted().map {
            try ProfileParser.load(name: String($0.dropLast(".conf".count)), directory: directory)
        }
    }

    /// Loads the profiles of the default directory (see `defaultDirectory`).
    public init() throws {
        try self.init(directory: try Profiles.defaultDirectory())
    }

    /// The profile for a sample's `language` (name or alias, case-insensitive).
    public func profile(for language: String) throws -> Profile {
        guard let found = all.first(where: { $0.matches(language: language) }) else {
            throw SandboxError(
                .profile, step: "language",
                detail:
                    "no profile for language '\(language)' in \(directory) (have: \(all.map(\.language).joined(separator: ", ")))"
            )
        }
        return found
    }

    /// The profile whose source file has the extension of `path` (`p.c` → the profile writing `main.c`; of several,
    /// the one whose file is `main.<ext>`); throws naming the extension and the known ones when none or several do.
    public func profile(forFile path: String) throws -> Profile {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        let known = all.map { URL(fileURLWithPath: $0.source).pathExtension.lowercased() }
        var matching = all.indices.filter { !ext.isEmpty && known[$0] == ext }.map { all[$0] }
        // `.py` is both python's `main.py` and pytest's `test_main.py`: a plain program file is the former.
        let plain = matching.filter {
            URL(fileURLWithPath: $0.source).deletingPathExtension().lastPathComponent
                .lowercased() == "main"
        }
        if matching.count > 1, plain.count == 1 { matching = plain }
        guard matching.count == 1, let found = matching.first else {
            let list = zip(known, all).map { ".\($0) (\($1.language))" }.joined(separator: ", ")
            throw SandboxError(
                .profile, step: "language",
                detail: matching.isEmpty
                    ? "no profile runs files with extension '\(ext)' (\(path)); name the language, or use one of: \(list)"
                    : "several profiles run '.\(ext)' files (\(matching.map(\.language).joined(separator: ", "))); "
                        + "name the language")
        }
        return found
    }

    /// `$ARBITER_SANDBOXES`, else the first `Sandboxes/` holding `python.conf` found walking up from the current
    /// directory and from the running executable.
    public static func defaultDirectory() throws -> String {
        if let env = ProcessInfo.processInfo.environment["ARBITER_SANDBOXES"], !env.isEmpty { return env }
        let starts = [
            FileManager.default.currentDirectoryPath,
            URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
                .deletingLastPathComponent().path,
        ]
        for start in starts {
            var url = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                let candidate = url.appendingPathComponent("Sandboxes")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("python.conf").path) {
                    return candidate.path
                }
                url.deleteLastPathComponent()
            }
        }
        throw SandboxError(
            .profile, step: "Sandboxes",
            detail:
                "no Sandboxes/ directory found above \(starts.joined(separator: " or ")); set ARBITER_SANDBOXES")
    }
}
