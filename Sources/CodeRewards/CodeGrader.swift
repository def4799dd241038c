import Foundation
import RewardKit
import Sandbox

/// Grades one sample: extracts the program, picks the profile for its language, runs the right harness.
public struct CodeGrader: Sendable {
    public var profiles: Profiles
    public var sandbox: Sandbox
    public var extractor: CodeExtractor
    /// Language of samples that name none.
    public var defaultLanguage: String
    /// Tolerance for numbers in call results and stdio tokens (absolute, or relative to the expected value).
    public var floatTolerance: Double
    /// Replaces the profile's run wall-clock limit when set, milliseconds.
    public var wallTimeMs: UInt64?
    /// The most a sample's `time_limit_s` may ask for (wall clock and CPU), milliseconds; warm candidate boxes
    /// start with this CPU limit and lower it to their job's.
    public static let maxSampleTimeMs: UInt64 = 120_000
    /// Warm grader boxes for assert tests, shared by copies of this grader.
    let graders: GraderPool
    /// Candidate boxes with the driver already running, for assert tests.
    let warm: WarmCandidates

    public init(
        profiles: Profiles, sandbox: Sandbox = Sandbox(), extractor: CodeExtractor = CodeExtractor(),
        defaultLanguage: String = "python", floatTolerance: Double = 0, wallTimeMs: UInt64? = nil
    ) {
        self.profiles = profiles
        self.sandbox = sandbox
        self.extractor = extractor
        self.defaultLanguage = defaultLanguage
        self.floatTolerance = floatTolerance
        self.wallTimeMs = wallTimeMs
        let python = (try? profiles.profile(for: "python")) ?? Profile(name: "python", language: "python")
        self.graders = GraderPool(sandbox: sandbox, profile: python)
        // Two per core: a candidate's interpreter takes longer to start than a job to grade, so one per core runs dry.
        self.warm = WarmCandidates(
            sandbox: sandbox, profile: python,
            depth: 2 * ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The grade of a sample. Throws `CodeRewardsError` or `SandboxError` when the sample cannot be graded.
    public func grade(_ sample: Sample) async throws -> Grade {
        let tests = try CodeTests(sample: sample)
        let options = try CodeTestOptions(sample: sample)
        let language = sample.language ?? defaultLanguage
        let profile: Profile
        do { profile = try profiles.profile(for: language) } catch {
            throw CodeRewardsError(
                "language: no sandbox profile for \"\(language.prefix(40))\" (have: "
                    + profiles.all.map(\.language).joined(separator: ", ") + ")")
        }
        guard
            let extracted = extractor.extract(
                from: sample.completionText,
                names: [profile.language] + profile.aliases)
        else {
            return Grade(
                passed: 0, total: tests.caseCount ?? 1, verdict: .wrongAnswer,
                reason: "no \(profile.language) code found in the completion")
        }
        return try await grade(
            code: extracted.code, fenced: extracted.fenced, tests: tests, profile: profile,
            options: options)
    }

    /// The grade of `code` (already extracted) against `tests`.
    public func grade(
        code: String, fenced: Bool = true, tests: CodeTests, profile: Profile,
        options: CodeTestOptions = CodeTestOptions()
    ) async throws -> Grade {
        var limits = profile.limits
        if let wallTimeMs { limits.wallTimeMs = wallTimeMs }
        if let s = options.timeLimitS {
            // The sample's own budget, within the grader's maximum: wall clock and CPU alike.
            let ms = min(UInt64((s * 1000).rounded(.up)), CodeGrader.maxSampleTimeMs)
            limits.wallTimeMs = ms
            if limits.cpuTimeS > 0 { limits.cpuTimeS = max(1, (ms + 999) / 1000) }
        }
        if let count = tests.caseCount, count == 0 {
            return Grade(passed: 0, total: 1, verdict: .wrongAnswer, reason: "the tests have no cases: nothing was run")
        }
        switch tests {
        case .asserts(let test, let entryPoint, let setup, let prompt):
            try requirePython(profile, "assert")
            // HumanEval: a continuation completes the prompt; a fenced program follows it (keeping its imports).
            let solution = prompt.map { fenced ? $0 + "\n" + code : $0 + code } ?? code
            var spec: [(String, JSON)] = [("kind", "assert"), ("test", .string(test))]
            if let entryPoint { spec.append(("entry_point", .string(entryPoint))) }
            if let prompt { spec.append(("prompt", .string(prompt))) }
            return try await python(profile, limits).gradeInGrader(
                solution: solution, spec: spec + options.specFields, setup: setup, pool: graders, warm: warm)
        case .unittest(let test), .pytest(let test):
            let kind = if case .unittest = tests { "unittest" } else { "pytest" }
            try requirePython(profile, kind)
            return try await python(profile, limits).gradeInGrader(
                solution: code, spec: [("kind", .string(kind)), ("test", .string(test))] + options.specFields,
                setup: nil, pool: graders, warm: warm)
        case .call(let function, let cases):
            try requirePython(profile, "call")
            return try await python(profile, limits).gradeCalls(
                solution: code, function: function, cases: cases, tolerance: floatTolerance, options: options,
                pool: graders, warm: warm)
        case .stdio(let cases, let checker):
            let chosen = checker ?? (floatTolerance > 0 ? .float(abs: floatTolerance, rel: floatTolerance) : .exact)
            return try await StdioRunner(sandbox: sandbox, profiles: profiles)
                .run(source: code, profile: profile, cases: cases, checker: chosen, limits: limits).grade
        }
    }

    private func python(_ profile: Profile, _ limits: Limits) -> PythonHarness {
        PythonHarness(sandbox: sandbox, profile: profile, limits: limits)
    }

    private func requirePython(_ profile: Profile, _ kind: String) throws {
        guard profile.matches(language: "python") else {
            throw CodeRewardsError("tests of kind \"\(kind)\" need language python, the sample is \(profile.language)")
        }
    }
}
