import CodeRewards
import Foundation
import RewardKit
import Sandbox
import Testing

/// MBPP's reference solutions on its test split (task ids 11-510) pass exactly where the reference harness
/// (the program, `test_setup_code` and the asserts run together in one unsandboxed process) passes them. Both
/// get 60 s of wall-clock per task so that a loaded machine does not decide (task 123 needs seconds of CPU).
@Suite struct MBPPTests {
    /// The reference harness: one forked process per task, 30 s alarm; prints the passing task ids as JSON.
    static let reference = """
        import gzip, json, os, signal, sys
        rows = [json.loads(l) for l in gzip.open(sys.argv[1])]
        ok = []
        for r in rows:
            if not 11 <= r['task_id'] <= 510: continue
            program = r['code'] + '\\n' + r['test_setup_code'] + '\\n' + '\\n'.join(r['test_list']) + '\\n'
            pid = os.fork()
            if pid == 0:
                devnull = os.open(os.devnull, os.O_RDWR); os.dup2(devnull, 0); os.dup2(devnull, 1); os.dup2(devnull, 2)
                signal.alarm(30)
                try:
                    exec(program, {})
                    os._exit(0)
                except BaseException:
                    os._exit(1)
            _, status = os.waitpid(pid, 0)
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0: ok.append(r['task_id'])
        print(json.dumps(ok))
        """

    @Test func canonicalSolutionsPassAtTheReferenceRate() async throws {
        let path = Fixtures.datasets + "/mbpp.jsonl.gz"
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", MBPPTests.reference, path]
        let out = Foundation.Pipe()
        python.standardOutput = out
        try python.run()
        // Read and wait on a Dispatch thread: the reference run takes seconds, and the suite's other tests share
        // the cooperative pool's two threads.
        let data = await withCheckedContinuation { c in
            DispatchQueue.global().async {
                let data = out.fileHandleForReading.readDataToEndOfFile()
                python.waitUntilExit()
                c.resume(returning: data)
            }
        }
        let expected = Set(
            try #require(JSONParser.parse(String(decoding: data, as: UTF8.self)).arrayValue).compactMap(\.intValue))

        let rows = try Fixtures.jsonl("mbpp.jsonl.gz").filter { (11...510).contains($0["task_id"]?.intValue ?? 0) }
        #expect(rows.count == 500)
        let samples = rows.map { Fixtures.sample($0, completion: $0["code"]?.stringValue ?? "") }
        var grader = try Fixtures.grader()
        grader.wallTimeMs = 60_000
        let scores = await CodeReward(grader: grader, workers: 2).score(samples)
        #expect(scores.allSatisfy { $0.error == nil }, "\(scores.compactMap(\.error).prefix(3))")
        let passed = Set(zip(rows, scores).filter { $0.1.value == 1 }.compactMap { $0.0["task_id"]?.intValue })
        let onlyReference = expected.subtracting(passed).sorted()
        let onlyOurs = passed.subtracting(expected).sorted()
        let reasons = zip(rows, scores).filter { onlyReference.contains($0.0["task_id"]?.intValue ?? -1) }
            .map { "\($0.0["task_id"]!.jsonText): \($0.1.reason ?? "")" }
        #expect(onlyReference.isEmpty, "pass in the reference harness only: \(reasons.prefix(8))")
        #expect(onlyOurs.isEmpty, "pass here only: \(onlyOurs)")
        #expect(passed.count == expected.count)
    }
}
