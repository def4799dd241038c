import Foundation

/// Reads profile files: one `key = value` per line, `key += value` appends to a list, `#` starts a comment,
/// `include = other.conf` reads another file of the same directory first. Lists are separated by whitespace; a
/// double-quoted run is one word (`compile = /bin/sh -c "a && b"`). A mount is `path` (same path in the box),
/// `host:box` (elsewhere in the box), `?path` (skipped when missing); a relative host path is beside the profiles.
/// Limit keys carry their unit in the name (`memory_mib`, `wall_time_ms`); `compile_` + a limit key sets the
/// compile step's limit. Unknown keys are errors naming the file and line.
public enum ProfileParser {
    /// Parses `<directory>/<name>.conf`.
    public static func load(name: String, directory: String) throws -> Profile {
        var profile = Profile(name: name, language: name)
        var seen: Set<String> = []
        try apply(file: name + ".conf", directory: directory, to: &profile, seen: &seen)
        guard !profile.run.isEmpty else {
            throw SandboxError(.profile, step: "\(name).conf", detail: "no `run` command")
        }
        if profile.compile != nil && profile.binary == nil {
            throw SandboxError(.profile, step: "\(name).conf", detail: "`compile` needs `binary`")
        }
        if profile.memoryMaxBytes < profile.limits.memoryBytes {
            throw SandboxError(.profile, step: "\(name).conf", detail: "memory_max_mib is below memory_mib")
        }
        try checkTargets(profile.mounts, in: name)
        return profile
    }

    /// A relative mount source is a file shipped beside the profiles (`typescript/transpile.js:/opt/…`).
    static func resolve(_ m: Profile.Mount, directory: String) -> Profile.Mount {
        guard !m.path.hasPrefix("/") else { return m }
        var r = m
        r.path = URL(fileURLWithPath: directory).appendingPathComponent(m.path).standardizedFileURL.path
        return r
    }

    /// A mount's `target` (`host:box`) is absolute, free of `.`/`..`, and outside every other mount and the
    /// box's own directories: a target under a host bind would be created on the host's file system.
    static func checkTargets(_ mounts: [Profile.Mount], in name: String) throws {
        let reserved = ["/work", "/tmp", "/dev", "/proc"] + mounts.map(\.path)
        for m in mounts {
            guard let t = m.target else { continue }
            let parts = t.split(separator: "/")
            let under = reserved.first { r in t == r || t.hasPrefix(r + "/") || r.hasPrefix(t + "/") }
            guard t.hasPrefix("/"), !parts.contains("."), !parts.contains(".."), under == nil else {
                throw SandboxError(
                    .profile, step: "\(name).conf",
                    detail:
                        "mount target '\(t)' of \(m.path) must be an absolute path outside \(under ?? "every other mount")"
                )
            }
        }
    }

    static func apply(file: String, directory: String, to profile: inout Profile, seen: inout Set<String>) throws {
        guard !file.contains("/"), !seen.contains(file) else {
            throw SandboxError(.profile, step: file, detail: "bad or recursive include '\(file)'")
        }
        seen.insert(file)
        let path = directory + "/" + file
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SandboxError(.profile, step: path, detail: "cannot read profile file")
        }
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let where_ = "\(file):\(index + 1)"
            let append = trimmed.contains("+=")
            let parts = trimmed.components(separatedBy: append ? "+=" : "=")
            guard parts.count >= 2 else {
                throw SandboxError(.profile, step: where_, detail: "expected `key = value`, got '\(trimmed)'")
            }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts.dropFirst().joined(separator: append ? "+=" : "=").trimmingCharacters(in: .whitespaces)
            let words = try Self.words(value, at: where_)
            if key == "include" {
                try apply(file: value, directory: directory, to: &profile, seen: &seen)
                continue
            }
            try set(key: key, words: words, value: value, append: append, in: &profile, at: where_)
            if key == "mounts" { profile.mounts = profile.mounts.map { resolve($0, directory: directory) } }
        }
    }

    /// Whitespace-separated words; a double-quoted run ("a b") is one word without its quotes (no escapes).
    static func words(_ value: String, at where_: String) throws -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        var inWord = false
        for c in value {
            if c == "\"" {
                quoted.toggle()
                inWord = true
            } else if !quoted && (c == " " || c == "\t") {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        guard !quoted else { throw SandboxError(.profile, step: where_, detail: "unterminated quote in '\(value)'") }
        if inWord { words.append(word) }
        return words
    }

    static func set(
        key: String, words: [String], value: String, append: Bool, in p: inout Profile,
        at where_: String
    ) throws {
        func list(_ old: [String]) -> [String] { append ? old + words : words }
        switch key {
        case "language": p.language = value
        case "aliases": p.aliases = list(p.aliases)
        case "source": p.source = value
        case "binary": p.binary = value
        case "compile": p.compile = list(p.compile ?? [])
        case "run": p.run = list(p.run)
        case "env": p.environment = list(p.environment)
        case "mounts":
            let mounts = words.map { word in
                let optional = word.hasPrefix("?")
                let parts = (optional ? word.dropFirst() : Substring(word)).split(separator: ":", maxSplits: 1)
                let target = parts.dropFirst().first.map(String.init)
                return Profile.Mount(path: String(parts[0]), optional: optional, target: target)
            }
            p.mounts = append ? p.mounts + mounts : mounts
        case "memory_max_mib":
            guard let n = UInt64(value), n > 0 else {
                throw SandboxError(
                    .profile, step: where_, detail: "memory_max_mib needs a positive integer, got '\(value)'")
            }
            p.memoryMaxBytes = n << 20
        case "zygote": p.zygote = value.isEmpty || value == "none" ? nil : value
        case "proc": p.mountProc = try boolean(value, key: key, at: where_)
        case "syscalls": p.syscalls = list(p.syscalls)
        case "syscalls_enosys": p.enosys = list(p.enosys)
        case "seccomp_default":
            guard let action = Profile.DenyAction(rawValue: value) else {
                throw SandboxError(
                    .profile, step: where_, detail: "seccomp_default must be kill or errno, got '\(value)'")
            }
            p.denyAction = action
        default:
            if key.hasPrefix("compile_") {
                try setLimit(String(key.dropFirst("compile_".count)), value, in: &p.compileLimits, at: where_)
            } else {
                try setLimit(key, value, in: &p.limits, at: where_)
                // A run limit is also the compile default unless the profile sets compile_<key> later.
                try setLimit(key, value, in: &p.compileLimits, at: where_)
            }
        }
    }

    static func boolean(_ value: String, key: String, at where_: String) throws -> Bool {
        switch value.lowercased() {
        case "yes", "true", "1": return true
        case "no", "false", "0": return false
        default: throw SandboxError(.profile, step: where_, detail: "\(key) must be yes or no, got '\(value)'")
        }
    }

    static func setLimit(_ key: String, _ value: String, in limits: inout Limits, at where_: String) throws {
        guard let n = UInt64(value) else {
            throw SandboxError(.profile, step: where_, detail: "\(key) needs a non-negative integer, got '\(value)'")
        }
        let mib = n << 20
        let kib = n << 10
        switch key {
        case "wall_time_ms": limits.wallTimeMs = n
        case "cpu_time_s": limits.cpuTimeS = n
        case "memory_mib": limits.memoryBytes = mib
        case "address_space_mib": limits.addressSpaceBytes = mib
        case "file_size_mib": limits.fileSizeBytes = mib
        case "open_files": limits.openFiles = n
        case "processes": limits.processes = n
        case "stack_mib": limits.stackBytes = mib
        case "work_mib": limits.workBytes = mib
        case "tmp_mib": limits.tmpBytes = mib
        case "shm_mib": limits.shmBytes = mib
        case "stdout_kib": limits.stdoutBytes = Int(kib)
        case "stderr_kib": limits.stderrBytes = Int(kib)
        case "cpu_millicores":
            guard n <= 1_000_000 else {
                throw SandboxError(.profile, step: where_, detail: "\(key) must be at most 1000000, got '\(value)'")
            }
            limits.cpuMillicores = UInt32(n)
        default: throw SandboxError(.profile, step: where_, detail: "unknown key '\(key)'")
        }
    }
}
