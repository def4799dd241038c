import Foundation
import RewardKit
import Testing

/// JSONL files plain and gzip'ed: blank lines skipped, errors naming the file and line, a truncated `.gz` refused.
@Suite struct JSONLinesFileTests {
    let dir: URL = {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-jsonl-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }()

    func write(_ name: String, _ text: String, gzip: Bool = false) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        guard gzip else { return url.path }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", url.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return url.path + ".gz"
    }

    @Test(arguments: [false, true])
    func readsObjectsSkippingBlankLines(gzip: Bool) throws {
        let path = try write("a.jsonl", "{\"a\": 1}\n\n  \n{\"a\": 2}\n", gzip: gzip)
        let objects = try JSONLinesFile.objects(path)
        #expect(objects.map { $0["a"] } == [.int(1), .int(2)])
    }

    /// The message of the error `body` throws, or nil when it throws none.
    func failure(_ body: () throws -> Any) -> String? {
        do { _ = try body() } catch { return "\(error)" }
        return nil
    }

    @Test func errorsNameTheFileAndLine() throws {
        let bad = try write("b.jsonl", "{\"a\": 1}\n\n{\"a\": \n")
        #expect(failure { try JSONLinesFile.read(bad) }?.hasPrefix("\(bad):3: ") == true)
        let array = try write("c.jsonl", "{}\n[1]\n")
        #expect(failure { try JSONLinesFile.objects(array) } == "\(array):2: expected a JSON object")
        let missing = dir.appendingPathComponent("missing.jsonl").path
        #expect(failure { try JSONLinesFile.read(missing) } == "cannot read \(missing)")
    }

    @Test func truncatedGzipIsRefused() throws {
        let path = try write("d.jsonl", String(repeating: "{\"a\": 1}\n", count: 5000), gzip: true)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        let message = failure { try JSONLinesFile.read(path) }
        #expect(message?.contains("gzip -dc \(path) failed") == true, "\(message ?? "no error")")
    }
}
