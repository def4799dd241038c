import Foundation
import RewardKit
import Sandbox

extension TermRegistry {
    /// Adds the `code` term: sandboxed unit tests (assert, call, stdio) with the trusted graders of CodeRewards.
    public mutating func registerCodeTerms() {
        register("code", summary: "sandboxed unit tests: 1 if all pass (mode all) or the pass fraction (mode fraction)")
        { p in
            let mode = CodeReward.Mode(rawValue: try p.string("mode", default: "all", oneOf: ["all", "fraction"]))!
            // The sandbox's own configuration is the operator's: a recipe sent with a request may not choose it.
            for key in ["sandboxes", "allow_weaker_isolation"] where p.registry.untrusted && p.values[key] != nil {
                throw RecipeError(
                    "\(p.path).params.\(key) configures the service's sandbox, so a recipe sent with a request may not "
                        + "set it; name a recipe the service was started with instead")
            }
            let directory = try p.optionalString("sandboxes")
            let profiles = try directory.map { try Profiles(directory: $0) } ?? Profiles()
            let sandbox = Sandbox(
                options: .init(allowWeakerIsolation: try p.bool("allow_weaker_isolation", default: false)))
            let extractor = CodeExtractor(
                pick: CodeExtractor.Pick(
                    rawValue: try p.string("extract", default: "last", oneOf: ["last", "first"]))!,
                wholeTextFallback: try p.bool("whole_text_fallback", default: true))
            let wall = try p.int("wall_time_ms", default: 0, in: 0...3_600_000)
            let grader = CodeGrader(
                profiles: profiles, sandbox: sandbox, extractor: extractor,
                defaultLanguage: try p.string("language", default: "python"),
                floatTolerance: try p.double("float_tolerance", default: 0, in: 0...1),
                wallTimeMs: wall > 0 ? UInt64(wall) : nil)
            return CodeReward(
                grader: grader, mode: mode,
                workers: try p.int(
                    "workers", default: ProcessInfo.processInfo.activeProcessorCount,
                    in: 1...256))
        }
    }

    /// RewardKit's standard terms plus `code`.
    public static var withCode: TermRegistry {
        var r = TermRegistry.standard
        r.registerCodeTerms()
        return r
    }
}

extension RecipeBook {
    /// `code`: all tests pass (0/1); `code-r1`: that plus the strict think/answer format, weights 1 and 1
    /// (open-r1's code recipe pairs the code reward with a format reward the same way).
    public static let codeRecipes: [Recipe] = [
        Recipe(
            name: "code", description: "1 if every unit test passes in the sandbox, else 0",
            node: ["term": "code"]),
        Recipe(
            name: "code-r1", description: "code tests (0/1) + strict think/answer format, weights 1 and 1",
            node: ["sum": [["term": "code", "name": "accuracy"], ["term": "format", "weight": 1]]]),
    ]
}
