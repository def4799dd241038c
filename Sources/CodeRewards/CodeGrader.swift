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
    /// Warm grader boxes for assert tests, shared by copies of this grader.
    let graders: GraderPool
    /// Candidate boxes with the driver already running, for assert tests.
    let warm: WarmCandidates

    public init(profiles: Profiles, sandbox: Sandbox = Sandbox(), extractor: CodeExtractor = CodeExtractor(),
                defaultLanguage: String = "python", floatTolerance: Double = 0, wallTimeMs: UInt64? = nil) {
        self.profiles = profiles
        self.sandbox = sandbox
        self.extractor = extractor
        self.defaultLanguage = defaultLanguage
        self.floatTolerance = floatTolerance
        self.wallTimeMs = wallTimeMs
        let python = (try? profiles.profile(for: "python")) ?? Profile(name: "python", language: "python")
        self.graders = GraderPool(sandbox: sandbox, profile: python)
        // Two per core: a candidate's interpreter takes longer to start than a job to grade, so one per core runs dry.
        self.warm = WarmCandidates(sandbox: sandbox, profile: python,
                                   depth: 2 * ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The grade of a sample. Throws `CodeRewardsError` or `SandboxError` when the sample cannot be graded.
    public func grade(_ sample: Sample) async throws -> Grade {
        let tests = try CodeTests(sample: sample)
        let language = sample.language ?? defaultLanguage
        let profile: Profile
        do { profile = try profiles.profile(for: language) } catch {
            throw CodeRewardsError("language: no sandbox profile for \"\(language.prefix(40))\" (have: "
                + profiles.all.map(\.language).joined(separator: ", ") + ")")
        }
        guard let extracted = extractor.extract(from: sample.completionText,
                                                names: [profile.language] + profile.aliases)
        else {
            return Grade(passed: 0, total: tests.caseCount ?? 1, verdict: .wrongAnswer,
                         reason: "no \(profile.language) code found in the completion")
        }
        return try await grade(code: extracted.code, fenced: extracted.fenced, tests: tests, profile: profile)
    }

    /// The grade of `code` (already extracted) against `tests`.
    public func grade(code: String, fenced: Bool = true, tests: CodeTests, profile: Profile) async throws -> Grade {
        var limits = profile.limits
        if let wallTimeMs { limits.wallTimeMs = wallTimeMs }
        switch tests {
        case .asserts(let test, let entryPoint, let setup, let prompt):
            try requirePython(profile, "assert")
            // HumanEval: a continuation completes the prompt; a fenced program follows it (keeping its imports).
            let solution = prompt.map { fenced ? $0 + "\n" + code : $0 + code } ?? code
            return try await python(profile, limits).gradeAsserts(
                solution: solution, code: test, entryPoint: entryPoint, setup: setup, prompt: prompt, pool: graders,
                warm: warm)
        case .call(let function, let cases):
            try requirePython(profile, "call")
            return try await python(profile, limits).gradeCalls(
                solution: code, function: function, cases: cases, tolerance: floatTolerance)
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
