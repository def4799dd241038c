import Foundation
import RewardKit
import Sandbox

/// Grades Python solutions through the driver (candidate box) and, for asserts, the grader (its own box).
struct PythonHarness: Sendable {
    var sandbox: Sandbox
    var profile: Profile
    var limits: Limits

    static let driver = Array(PackageResources.driver_py)
    static let grader = Array(PackageResources.grader_py)

    /// The candidate's box: the driver (`DriverCode`) as the profile's source file, the solution beside it.
    func candidate(solution: String, setup: String?) async -> Execution {
        var e = Execution(profile: profile, limits: limits)
        e.files = await DriverCode.shared.files(sandbox: sandbox, profile: profile)
        e.files["solution.py"] = Array(solution.utf8)
        if let setup { e.files["setup.py"] = Array(setup.utf8) }
        return e
    }

    /// Asserts: a pooled grader runs the tests against proxies of the candidate's functions and answers with a
    /// report line; the candidate's box gets only the solution (and MBPP's setup code).
    func gradeAsserts(solution: String, code: String, entryPoint: String?, setup: String?, prompt: String?,
                      pool: GraderPool, warm: WarmCandidates) async throws -> Grade
    {
        var spec: [(String, JSON)] = [("test", .string(code))]
        if let entryPoint { spec.append(("entry_point", .string(entryPoint))) }
        if let prompt { spec.append(("prompt", .string(prompt))) }
        let body = Array(JSON.object(JSONObject(spec)).jsonText.utf8)
        let count = UInt32(body.count)
        let job = [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)] + body
        await warm.prepare()
        let grader = try await pool.checkout()
        // The report's clock starts when the job is sent, so a slow box start or a starved task cannot eat it.
        var reportLine: Task<[UInt8]?, Error>? = nil
        let box: RunningBox
        do {
            box = try await warm.take(wallTimeMs: limits.wallTimeMs)
            do {
                defer {
                    BoxChannel.close(box.stdinWrite)
                    BoxChannel.close(box.stdoutRead)
                }
                var first: [(String, JSON)] = [("solution", .string(solution))]
                if let setup { first.append(("setup", .string(setup))) }
                try BoxChannel.write(box.stdinWrite, Array((JSON.object(JSONObject(first)).jsonText + "\n").utf8))
                try grader.channel.send(job, passing: [box.stdinWrite, box.stdoutRead])
                let timeoutMs = Int(limits.wallTimeMs) + 5000
                reportLine = Task { try await grader.channel.readLine(timeoutMs: timeoutMs) }
            } catch {
                box.kill()
                throw error
            }
        } catch {
            grader.discard()
            _ = try? await reportLine?.value  // no read may be pending on the channel when it closes
            grader.channel.close()
            throw error
        }
        // The report comes when the grader's job ends; a candidate that hangs is killed at its deadline, which ends
        // the job (the grader's next call finds the pipe closed).
        let line: [UInt8]? = (try? await reportLine?.value) ?? nil
        let parsed = line.flatMap { try? JSONParser.parse(String(decoding: $0, as: UTF8.self)).objectValue }
        if let parsed, parsed["grader_error"]?.boolValue != true, let passed = parsed["passed"]?.intValue,
           let total = parsed["total"]?.intValue, total > 0, passed == total
        {
            // Every test passed, so how the candidate ends cannot change the grade (`Grade.verdict`): it is killed
            // now instead of waited for, which keeps its interpreter's shutdown off the job's path and its CPU.
            box.kill()
            pool.checkin(grader)
            return Grade(passed: passed, total: total, verdict: .ok, reason: nil)
        }
        let ran: RunResult
        do {
            ran = try await box.result()
        } catch {
            grader.discard()
            grader.channel.close()
            throw error
        }
        guard let report = parsed, let passed = report["passed"]?.intValue, let total = report["total"]?.intValue
        else {
            grader.discard()
            grader.channel.close()
            if ran.verdict != .ok {
                return Grade(passed: 0, total: 1, verdict: ran.verdict, reason: "candidate: \(ran.verdict)")
            }
            throw CodeRewardsError("the grader gave no report for this job")
        }
        pool.checkin(grader)
        if report["grader_error"]?.boolValue == true {
            throw CodeRewardsError("the tests could not run: \(report["failure"]?.stringValue ?? "")")
        }
        let all = total > 0 && passed == total
        return Grade(passed: passed, total: total, verdict: Grade.verdict(allPassed: all, program: ran.verdict),
                     reason: report["failure"]?.stringValue)
    }

    /// Calls: all requests go in as stdin (inputs only), answers come back one line each and are compared here.
    func gradeCalls(solution: String, function: String, cases: [CodeTests.CallCase], tolerance: Double)
        async throws -> Grade
    {
        var e = await candidate(solution: solution, setup: nil)
        let requests = cases.map { c in
            JSON.object(JSONObject([("call", .string(function)), ("args", .array(c.input.map(PlainData.encode)))]))
                .jsonText + "\n"
        }.joined()
        e.stdin = .bytes(Array(requests.utf8))
        let ran = try await sandbox.run(e)
        let lines = ran.stdout.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        guard let first = lines.first, let load = try? JSONParser.parse(first).objectValue else {
            return Grade(passed: 0, total: cases.count, verdict: Grade.verdict(allPassed: false, program: ran.verdict),
                         reason: "the driver did not start: \(String(ran.stderrText.suffix(300)))")
        }
        guard load["load"]?.stringValue == "ok" else {
            return Grade(passed: 0, total: cases.count, verdict: .runtimeError(exitCode: 1),
                         reason: "solution failed to load: \(load["error"]?.stringValue ?? "")")
        }
        var passed = 0
        var reason: String? = nil
        for (i, c) in cases.enumerated() {
            let line = i + 1 < lines.count ? lines[i + 1] : nil
            let reply = line.flatMap { try? JSONParser.parse($0).objectValue }
            if let ok = reply?["ok"], let actual = PlainData.decode(ok),
               PlainData.equal(c.output, actual, tolerance: tolerance)
            {
                passed += 1
            } else if reason == nil {
                let got = reply.map { JSON.object($0).jsonText } ?? "no answer (\(ran.verdict))"
                reason = "case \(i): expected \(c.output.jsonText.prefix(100)), got \(got.prefix(160))"
            }
        }
        return Grade(passed: passed, total: cases.count,
                     verdict: Grade.verdict(allPassed: passed == cases.count, program: ran.verdict), reason: reason)
    }
}
