import Foundation
import RewardKit
import Testing

@Suite struct RewardCheckTests {
    func objects(_ out: Binary.Output) throws -> [JSONObject] {
        try out.lines.map { try JSONParser.parse($0).objectValue! }
    }

    @Test func scoresTheDemoFormatSamplesInOrder() async throws {
        let out = try await Binary("reward").run(["check", "Datasets/demo/format.jsonl", "--recipe", "format"])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try objects(out)
        #expect(rows.map { $0["id"]?.stringValue } == ["strict-ok", "lenient-only", "no-tags", "chat"])
        #expect(rows[0]["reward"]?.doubleValue == 1)
        #expect(rows[0]["components"]?.objectValue?["format"]?.doubleValue == 1)
        #expect(rows[2]["reward"]?.doubleValue == 0)
        #expect(out.stderr.contains("4 lines, 4 scored, 0 errors"))
    }

    @Test func badLinesGetOneErrorResultEachAndProcessingGoesOn() async throws {
        let input = """
            {"id":1,"completion":"<think>\\na\\n</think>\\n<answer>\\n1\\n</answer>"}
            {"id":2, "completion":
            [1,2]

            {"id":4,"completion":{"text":"x"}}
            {"id":5,"completion":"plain","recipe":"no-such-recipe"}
            {"id":6,"completion":"plain"}\r
            """
        let out = try await Binary("reward").run(["check", "--recipe", "format"], stdin: input)
        #expect(out.status == 1)
        let rows = try objects(out)
        #expect(rows.count == 6, "one result per non-blank line")
        // strict layout 1, all four tags 1, no step markers 0: (1 + 1 + 0) / 3.
        #expect(abs((rows[0]["reward"]?.doubleValue ?? 0) - 2.0 / 3) < 1e-12)
        #expect(rows[1]["error"]?.stringValue?.hasPrefix("line 2: invalid JSON") == true)
        #expect(rows[1]["line"] == .int(2))
        #expect(rows[2]["error"]?.stringValue == "line 3: expected a JSON object, got an array")
        #expect(rows[3]["error"]?.stringValue?.hasPrefix("line 5: field \"completion\" must be") == true)
        #expect(rows[3]["id"] == .int(4), "fields of a bad sample pass through")
        #expect(rows[4]["error"]?.stringValue?.contains("line 6: unknown recipe \"no-such-recipe\"") == true)
        #expect(rows[5]["reward"]?.doubleValue == 0)
        #expect(rows[5]["error"] == nil)
        for row in rows[1...4] {
            #expect(row["reward"] == .null && row["components"] == .null, "an errored line shows no values: \(row)")
        }
        #expect(rows[5]["components"]?.objectValue?.isEmpty == false, "a scored line shows its components")
        #expect(out.stderr.contains("6 lines, 2 scored, 4 errors"))
    }

    @Test func mathLinesSayTheirVerdictAndTheSummaryCountsThem() async throws {
        let input = """
            {"completion":"\\\\boxed{5}","answer":"5"}
            {"completion":"\\\\boxed{6}","answer":"5"}
            {"completion":"\\\\boxed{7}","answer":"7"}
            {"completion":"I cannot tell.","answer":"5"}
            {"completion":"\\\\boxed{5}"}
            """
        let recipe = #"{"reward":{"term":"math","params":{"undecided":0.25}}}"#
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-undecided-\(getpid()).json")
        try recipe.write(to: path, atomically: true, encoding: .utf8)
        let out = try await Binary("reward").run(["check", "--recipe", path.path], stdin: input)
        #expect(out.status == 1, "the line without a reference is an error")
        let rows = try objects(out)
        #expect(rows.map { $0["verdict"]?.stringValue } == ["equal", "different", "equal", "undecided", nil])
        #expect(rows.map { $0["reward"]?.doubleValue } == [1, 0, 1, 0.25, nil])
        #expect(out.stderr.contains("verdicts: 2 equal, 1 different, 1 undecided"), "\(out.stderr)")
    }

    @Test func passesUnknownFieldsThroughInOrder() async throws {
        let out = try await Binary("reward").run(
            ["check", "--recipe", "format", "-"], stdin: #"{"zeta":[1,{"a":null}],"completion":"c","alpha":1.5}"# + "\n"
        )
        #expect(
            out.lines.first?.hasPrefix(#"{"zeta":[1,{"a":null}],"completion":"c","alpha":1.5,"reward":0"#) == true,
            "\(out.stdout)")
    }

    @Test func manyLinesStreamInOrderAcrossBatches() async throws {
        let n = 5000
        let input = (0..<n).map {
            #"{"i":\#($0),"prompt":"p\#($0 / 7)","completion":"\#(String(repeating: "w ", count: $0 % 13))"}"#
        }
        .joined(separator: "\n")
        let recipe = #"{"reward":{"term":"repetition","params":{"ngram_size":1}}}"#
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-rep-\(getpid()).json")
        try recipe.write(to: path, atomically: true, encoding: .utf8)
        let out = try await Binary("reward").run(["check", "--recipe", path.path, "--batch-size", "64"], stdin: input)
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try objects(out)
        #expect(rows.map { $0["i"]?.intValue } == (0..<n).map { $0 })
        // k identical words: 1 distinct unigram of k → penalty −(1 − 1/k).
        for (i, row) in rows.enumerated() {
            let k = i % 13
            let expected = k == 0 ? 0 : -(1 - 1 / Double(k))
            #expect(abs((row["reward"]?.doubleValue ?? 99) - expected) < 1e-12)
        }
    }

    @Test func recipeErrorsStopBeforeReadingAndNameTheValue() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-recipes-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("bad.json")
        try #"{"reward":{"term":"format","params":{"mode":"sloppy"}}}"#.write(
            to: file, atomically: true, encoding: .utf8)
        let out = try await Binary("reward").run(["check", "--recipe", file.path], stdin: "{}\n")
        #expect(out.status == 64)
        #expect(
            out.stderr.contains(#"reward.params.mode: expected one of "strict", "lenient", got "sloppy""#),
            "\(out.stderr)")
        let unknown = try await Binary("reward").run(["check", "--recipe", "nope"], stdin: "")
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown recipe \"nope\""))
    }

    @Test func recipesListsBuiltinsAndTerms() async throws {
        let out = try await Binary("reward").run(["recipes"])
        #expect(out.status == 0)
        for name in ["math", "math-r1", "format", "overlong", "repetition", "cosine_length", "command"] {
            #expect(out.stdout.contains(name), "missing \(name)")
        }
    }
}

@Suite struct RewardCheckMemoryTests {
    /// 300,000 lines (~45 MB) through stdin: held whole as parsed objects they would take hundreds of MiB; streamed,
    /// the process stays near its empty size. The peak (VmHWM) is read from /proc while it runs.
    @Test func largeInputStreamsInBoundedMemory() async throws {
        let p = Process()
        p.executableURL = try Binary("reward").url
        p.arguments = ["check", "--recipe", "format", "--quiet"]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        nonisolated(unsafe) var peakKB = 0
        let sampler = Thread {
            while p.isRunning {
                if let status = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                    let kb = Int(line.split(separator: " ").dropFirst().first ?? "")
                {
                    peakKB = max(peakKB, kb)
                }
                usleep(20_000)
            }
        }
        sampler.start()
        let line =
            #"{"id":0,"prompt":"p","completion":"<think>\nStep 1: a long enough completion to weigh something.\n</think>\n<answer>\n42\n</answer>","answer":"42"}"#
        let chunk = Data(String(repeating: line + "\n", count: 1000).utf8)
        for _ in 0..<300 { try input.fileHandleForWriting.write(contentsOf: chunk) }
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(peakKB > 0, "the sampler saw the process")
        #expect(peakKB < 120_000, "peak resident memory \(peakKB) kB for \(300 * chunk.count / 1_000_000) MB of input")
    }
}

@Suite struct RewardCheckGzipTests {
    /// A truncated .gz is read as far as it goes, and the run fails naming the file rather than passing for whole.
    @Test func truncatedGzipInputFailsTheRun() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-gz-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let plain = dir.appendingPathComponent("in.jsonl")
        let lines = (0..<2000).map { #"{"i":\#($0),"completion":"word \#($0) and some more words to compress"}"# }
        try lines.joined(separator: "\n").write(to: plain, atomically: true, encoding: .utf8)
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gz.arguments = ["-kf", plain.path]
        try gz.run()
        gz.waitUntilExit()
        let whole = try Data(contentsOf: URL(fileURLWithPath: plain.path + ".gz"))
        let cut = dir.appendingPathComponent("cut.jsonl.gz")
        try whole.prefix(whole.count / 2).write(to: cut)

        let ok = try await Binary("reward").run(["check", "--recipe", "format", plain.path + ".gz"])
        #expect(ok.status == 0)
        #expect(ok.lines.count == 2000)
        let bad = try await Binary("reward").run(["check", "--recipe", "format", cut.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("gzip -dc \(cut.path) failed"), "\(bad.stderr)")
    }
}
