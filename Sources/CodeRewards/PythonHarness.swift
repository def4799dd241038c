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

    /// The candidate's box: the driver as the profile's source file, the solution beside it.
    func candidate(solution: String, setup: String?) -> Execution {
        var e = Execution(profile: profile, limits: limits)
        e.files[profile.source] = PythonHarness.driver
        e.files["solution.py"] = Array(solution.utf8)
        if let setup { e.files["setup.py"] = Array(setup.utf8) }
        return e
    }

    /// Asserts: the grader box runs the tests against proxies; its report.json is the result.
    func gradeAsserts(solution: String, code: String, entryPoint: String?, setup: String?, prompt: String?)
        async throws -> Grade
    {
        var spec: [(String, JSON)] = [("test", .string(code))]
        if let entryPoint { spec.append(("entry_point", .string(entryPoint))) }
        if let prompt { spec.append(("prompt", .string(prompt))) }
        var grader = Execution(profile: profile, limits: limits)
        grader.limits.wallTimeMs = limits.wallTimeMs + 2000  // outlives the candidate, so it sees its end
        grader.files[profile.source] = PythonHarness.grader
        grader.files["spec.json"] = Array(JSON.object(JSONObject(spec)).jsonText.utf8)
        grader.collect = ["report.json"]
        let (graded, ran) = try await sandbox.runConnected(grader, candidate(solution: solution, setup: setup))
        guard let bytes = graded.files["report.json"],
              let report = try? JSONParser.parse(String(decoding: bytes, as: UTF8.self)).objectValue,
              let passed = report["passed"]?.intValue, let total = report["total"]?.intValue
        else {
            if ran.verdict != .ok && ran.verdict != .wrongAnswer {
                return Grade(passed: 0, total: 1, verdict: ran.verdict, reason: "candidate: \(ran.verdict)")
            }
            throw CodeRewardsError("the grader produced no report (grader \(graded.verdict)): "
                                   + String(graded.stderrText.suffix(400)))
        }
        let all = total > 0 && passed == total
        return Grade(passed: passed, total: total, verdict: Grade.verdict(allPassed: all, program: ran.verdict),
                     reason: report["failure"]?.stringValue)
    }

    /// Calls: all requests go in as stdin (inputs only), answers come back one line each and are compared here.
    func gradeCalls(solution: String, function: String, cases: [CodeTests.CallCase], tolerance: Double)
        async throws -> Grade
    {
        var e = candidate(solution: solution, setup: nil)
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
