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

    /// Every Python kind but stdio: a pooled grader runs the tests (`spec`, see grader.py) against proxies of the
    /// candidate's functions and answers with a report line; the candidate's box gets only the solution (and
    /// MBPP's setup code).
    func gradeInGrader(
        solution: String, spec: [(String, JSON)], setup: String?, pool: GraderPool,
        warm: WarmCandidates
    ) async throws -> Grade {
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
                if limits.cpuTimeS > 0 { first.append(("cpu_time_s", .int(Int64(limits.cpuTimeS)))) }
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
        // the job (the grader's next call finds the pipe closed). Cancelling the task (a client that went away)
        // kills the candidate at once, which ends the job the same way: the grader goes back to the pool and the
        // caller's slot is free within the grader's next read, not at the candidate's wall limit.
        let line: [UInt8]? = await withTaskCancellationHandler {
            (try? await reportLine?.value) ?? nil
        } onCancel: {
            box.kill()
        }
        let parsed = line.flatMap { try? JSONParser.parse(String(decoding: $0, as: UTF8.self)).objectValue }
        let results = (parsed?["tests"]?.arrayValue ?? []).compactMap { t -> Grade.TestResult? in
            guard let o = t.objectValue, let name = o["name"]?.stringValue, let ok = o["passed"]?.boolValue else {
                return nil
            }
            let verdict = ok ? .accepted : o["outcome"]?.stringValue.flatMap(CaseVerdict.init(rawValue:))
            return Grade.TestResult(
                name: name, passed: ok, message: o["message"]?.stringValue, verdict: verdict,
                time: o["time"]?.doubleValue)
        }
        if let parsed, parsed["grader_error"]?.boolValue != true, let passed = parsed["passed"]?.intValue,
            let total = parsed["total"]?.intValue, total > 0, passed == total
        {
            // Every test passed, so how the candidate ends cannot change the grade (`Grade.verdict`): it is killed
            // now instead of waited for, which keeps its interpreter's shutdown off the job's path and its CPU.
            box.kill()
            pool.checkin(grader)
            return Grade(passed: passed, total: total, verdict: .ok, reason: nil, results: results)
        }
        let ran: RunResult
        do {
            ran = try await withTaskCancellationHandler {
                try await box.result()
            } onCancel: {
                box.kill()
            }
            try Task.checkCancellation()  // a killed candidate's result is no outcome of the program
        } catch is CancellationError {
            if parsed != nil {
                pool.checkin(grader)  // its job ended with the candidate and it reported: healthy
            } else {
                grader.discard()
                grader.channel.close()
            }
            throw CancellationError()
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
        return Grade(
            passed: passed, total: total, verdict: Grade.verdict(allPassed: all, program: ran.verdict),
            reason: report["failure"]?.stringValue, results: results)
    }

    /// Calls: the grader sends each case's inputs and compares the answer with the expected value by Python's
    /// `==` (or within `options`' atol/rtol, or the recipe-wide `tolerance`).
    func gradeCalls(
        solution: String, function: String, cases: [CodeTests.CallCase], tolerance: Double,
        options: CodeTestOptions, pool: GraderPool, warm: WarmCandidates
    ) async throws -> Grade {
        var spec: [(String, JSON)] = [("kind", "call"), ("fn", .string(function))]
        spec.append(
            (
                "cases",
                .array(
                    cases.map { c in
                        .object(
                            JSONObject([
                                ("input", .array(c.input.map(PlainData.encode))),
                                ("output", PlainData.encode(c.output)),
                            ]))
                    })
            ))
        if tolerance > 0 { spec.append(("tolerance", .double(tolerance))) }
        return try await gradeInGrader(
            solution: solution, spec: spec + options.specFields, setup: nil, pool: pool,
            warm: warm)
    }
}

extension CodeTestOptions {
    /// The options as fields of the grader's job spec.
    var specFields: [(String, JSON)] {
        var out: [(String, JSON)] = []
        if let atol { out.append(("atol", .double(atol))) }
        if let rtol { out.append(("rtol", .double(rtol))) }
        if let caseTimeLimitS { out.append(("case_timeout_s", .double(caseTimeLimitS))) }
        if reportsEveryCase { out.append(("all_results", true)) }
        return out
    }
}
