import CodeRewards
import RewardKit
import Sandbox

extension SandboxExecutor {
    /// Call-style `/v1/run_tests` cases: the trusted grader calls `function` once per case from outside the
    /// candidate's box (the `call` test kind), each call limited to `run_timeout`, the whole run to the sum of
    /// those (at most `CodeGrader.maxSampleTimeMs`). A run that ends early (a crash, the memory limit) fails the
    /// cases it did not answer with its own verdict.
    func runCalls(
        _ request: RunTestsRequest, function: String, cases: [CodeTests.CallCase], profile: Profile, limits: Limits
    ) async throws(ServiceError) -> RunTestsResponse {
        guard profile.language == "python" else {
            throw ServiceError(
                .unprocessableContent,
                "field \"fn_name\": call-style cases run in Python only, not \(request.program.language)")
        }
        var limited = profile
        limited.limits.memoryBytes = limits.memoryBytes
        limited.limits.stackBytes = limits.stackBytes
        limited.limits.addressSpaceBytes = limits.addressSpaceBytes
        var options = CodeTestOptions(caseTimeLimitS: request.program.runTimeout)
        if let perCase = request.program.runTimeout {
            options.timeLimitS = min(Double(CodeGrader.maxSampleTimeMs) / 1000, perCase * Double(cases.count) + 5)
        }
        if case .float(let abs, let rel) = request.checker {
            options.atol = abs
            options.rtol = rel
        }
        options.reportsEveryCase = true
        let grade: Grade
        do {
            grade = try await grader.grade(
                code: request.program.code, tests: .call(function: function, cases: cases), profile: limited,
                options: options)
        } catch let e as CodeRewardsError {
            throw ServiceError(.unprocessableContent, e.message)
        } catch {
            throw ServiceError(.internalServerError, "the sandbox failed: \(error)")
        }
        // Cases the grader did not report (the candidate never loaded, or the run ended) carry the run's verdict:
        // its limit when it hit one, else a runtime error (no value was compared, so never a wrong answer).
        let runVerdict: CaseVerdict =
            switch CaseVerdict(grade.verdict) {
            case .timeLimit?: .timeLimit
            case .memoryLimit?: .memoryLimit
            case .outputLimit?: .outputLimit
            default: .runtimeError
            }
        let byName = Dictionary(grade.results.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var results: [CaseResult] = []
        for i in cases.indices {
            let reported = byName["case \(i)"]
            let verdict = reported?.verdict ?? (reported?.passed == true ? .accepted : runVerdict)
            results.append(
                CaseResult(
                    verdict: verdict, run: verdict.sandboxVerdict, time: reported?.time ?? 0, cpuTime: 0,
                    memoryBytes: 0, stdoutHead: "", stderrTail: "",
                    message: verdict == .accepted ? nil : reported?.message ?? grade.reason))
            if request.stopOnFirstFailure, verdict != .accepted { break }
        }
        var response = RunTestsResponse(compileResult: nil, compiled: true, results: results, total: cases.count)
        response.perCaseResources = false
        return response
    }
}
