import Foundation
import Testing

/// Runs a built executable of this package (found next to the test bundle) and collects its output.
struct Binary {
    let url: URL

    init(_ name: String) throws {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        url = dir.appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BinaryError("no built `\(name)` at \(url.path); build the package before testing")
        }
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] {
            stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
    }

    /// Runs with `stdin` as standard input and this process's environment changed by `environment` (a nil
    /// value removes the variable); gives up (and fails) after `timeout` seconds.
    ///
    /// The waiting happens on a Dispatch thread, never on the cooperative pool: swift-testing runs the suite's
    /// tests in parallel on that pool, which has one thread per core, and a test blocked on a child for a minute
    /// would delay every other test's timers by as much.
    func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String?] = [:], timeout: TimeInterval = 300
    ) async throws -> Output {
        try await offThePool { try runBlocking(arguments, stdin: stdin, environment: environment, timeout: timeout) }
    }

    private func runBlocking(
        _ arguments: [String], stdin: String?, environment: [String: String?], timeout: TimeInterval
    ) throws -> Output {
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        if !environment.isEmpty {
            var env = ProcessInfo.processInfo.environment
            for (key, value) in environment { env[key] = value }
            p.environment = env
        }
        p.currentDirectoryURL = Binary.repoRoot
        let out = Pipe()
        let err = Pipe()
        let inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = stdin == nil ? FileHandle.nullDevice : inp
        try p.run()
        // Drain both pipes while the process runs so that a large output cannot block it.
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if let stdin {
            try inp.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
            try inp.fileHandleForWriting.close()
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            p.terminate()
            throw BinaryError(
                "\(url.lastPathComponent) \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
        }
        p.waitUntilExit()
        return Output(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let datasets = repoRoot.appendingPathComponent("Datasets/public")
}

/// Runs blocking work on a Dispatch thread and resumes the caller when it is done, so that the cooperative
/// pool's few threads stay free for the tests running beside it.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try body() }) }
    }
}

struct BinaryError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
