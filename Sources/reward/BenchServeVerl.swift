import ArgumentParser
import Foundation
import RewardKit

/// `reward bench serve --verl`: the load verl's sandbox reward puts on `/run_code`, with verl's client behaviour.
///
/// verl (`verl/utils/reward_score/sandbox_fusion/utils.py`) sends one request per test case through a semaphore
/// of `max_concurrent` (128 in its example), with `compile_timeout` = `run_timeout` = 10 s and a client timeout of
/// compile + run + 10 = 30 s; it retries only a 504 (three attempts, 1 s and 2 s apart), and scores anything else
/// that is not a `Success` with the expected output as a failure. Here each of `concurrency` threads sends such
/// requests on a new connection each (verl's `requests.post` has no session). The programs are a fixed mix:
/// correct (prints its answer), wrong (prints another), slow (correct after 2 s of sleep) and timing out (spins
/// until its limit). The count that matters: how many correct and slow samples were scored correct.
struct VerlLoad {
    enum Program: String, CaseIterable, Sendable {
        case correct, wrong, slow, timeout

        /// Python source for request `i`, and the stdout a correct answer prints.
        func source(_ i: Int) -> (code: String, expected: String) {
            let expected = "\(i * 7)"
            switch self {
            case .correct: return ("n = int(input())\nprint(n * 7)", expected)
            case .wrong: return ("n = int(input())\nprint(n * 7 + 1)", expected)
            case .slow: return ("import time\nn = int(input())\ntime.sleep(2)\nprint(n * 7)", expected)
            case .timeout: return ("n = int(input())\nwhile True:\n    n += 1", expected)
            }
        }

        /// A correct program: verl should score it correct.
        var isCorrect: Bool { self == .correct || self == .slow }
    }

    /// Percent of correct, wrong, slow and timing-out programs.
    static let mix: [(Program, Int)] = [(.correct, 55), (.wrong, 20), (.slow, 15), (.timeout, 10)]
    static let runTimeout = 10
    static var clientTimeout: Int { 2 * runTimeout + 10 }

    struct Outcome: Sendable {
        var program: Program
        /// Final HTTP status (0: no answer within the client timeout, or the connection failed).
        var status: Int
        var attempts: Int
        var seconds: Double
        /// verl's verdict: `Success` with the expected stdout.
        var scoredCorrect: Bool
    }

    let port: Int
    let requests: Int
    let concurrency: Int

    /// The fixed interleaving of programs over 100 requests.
    static let schedule: [Program] = {
        var s: [Program] = []
        for (p, w) in mix { s += Array(repeating: p, count: w) }
        return (0..<100).map { s[($0 * 37) % 100] }
    }()

    func run() async -> (outcomes: [Outcome], seconds: Double) {
        let next = Locked(0)
        let total = requests
        let port = self.port
        let started = Date()
        let outcomes = await ClientThreads.run(count: concurrency) {
            var mine: [Outcome] = []
            while true {
                let i: Int? = next.update { n in
                    guard n < total else { return nil }
                    defer { n += 1 }
                    return n
                }
                guard let i else { return mine }
                mine.append(Self.send(Self.schedule[i % 100], index: i, port: port))
            }
        }
        return (outcomes, Date().timeIntervalSince(started))
    }

    /// One test case as verl sends it, with verl's retries of a 504.
    static func send(_ program: Program, index: Int, port: Int) -> Outcome {
        let (code, expected) = program.source(index)
        let body = JSON.object(
            JSONObject([
                ("compile_timeout", .int(Int64(runTimeout))), ("run_timeout", .int(Int64(runTimeout))),
                ("code", .string(code)), ("stdin", .string("\(index)")), ("memory_limit_MB", 1024),
                ("language", "python"), ("files", .object(JSONObject())), ("fetch_files", []),
            ]))
        let bytes = JSONWriter.bytes(body)
        let start = Date()
        var attempts = 0
        while true {
            attempts += 1
            let client = LoopbackHTTPClient(port: port, timeoutSeconds: clientTimeout)
            guard let (status, data, _) = try? client.post("/run_code", body: bytes) else {
                return Outcome(
                    program: program, status: 0, attempts: attempts,
                    seconds: Date().timeIntervalSince(start), scoredCorrect: false)
            }
            client.close()
            if status == 504 && attempts < 3 {
                Thread.sleep(forTimeInterval: Double(attempts))
                continue
            }
            let json = try? data.withUnsafeBufferPointer { b throws(JSONParseError) in try JSONParser.parse(bytes: b) }
            let o = json?.objectValue
            let stdout = o?["run_result"]?.objectValue?["stdout"]?.stringValue ?? ""
            let correct =
                status == 200 && o?["status"] == "Success"
                && stdout.trimmingCharacters(in: .newlines) == expected
            return Outcome(
                program: program, status: status, attempts: attempts,
                seconds: Date().timeIntervalSince(start), scoredCorrect: correct)
        }
    }

    static func report(_ outcomes: [Outcome], seconds: Double, concurrency: Int) {
        let correct = outcomes.filter { $0.program.isCorrect }
        let scored = correct.filter(\.scoredCorrect).count
        print(
            "reward bench serve --verl: \(outcomes.count) /run_code requests in \(String(format: "%.1f", seconds)) s "
                + "(\(String(format: "%.1f", Double(outcomes.count) / seconds)) req/s), \(concurrency) concurrent, "
                + "client timeout \(clientTimeout) s, run_timeout \(runTimeout) s, retries on 504 only")
        print("| program | requests | scored correct | p50 s | max s | statuses |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for (program, _) in mix {
            let mine = outcomes.filter { $0.program == program }
            guard !mine.isEmpty else { continue }
            let times = mine.map(\.seconds).sorted()
            let statuses = Dictionary(grouping: mine, by: \.status)
                .map { "\($0.key == 0 ? "no answer" : String($0.key)): \($0.value.count)" }.sorted()
                .joined(separator: ", ")
            print(
                "| \(program.rawValue) | \(mine.count) | \(mine.filter(\.scoredCorrect).count) | "
                    + "\(String(format: "%.2f", times[times.count / 2])) | \(String(format: "%.2f", times.last!)) | "
                    + "\(statuses) |")
        }
        print("correct samples scored correct: \(scored)/\(correct.count)")
        let wrongPassed = outcomes.filter { !$0.program.isCorrect && $0.scoredCorrect }.count
        print("wrong or timing-out samples scored correct: \(wrongPassed)")
    }
}
