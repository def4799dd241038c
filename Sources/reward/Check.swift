import ArgumentParser
import Foundation
import RewardKit

/// `reward check`: scores JSONL samples and writes one JSONL result per input line, in order.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score completions from JSONL (a file or stdin); one result line per input line, in order.",
        discussion: """
            Each input line is a sample: completion (text or [{role, content}]), a reference answer (answer, \
            solution, ground_truth or reward_model.ground_truth), tests for code, language, an optional recipe \
            name; other fields pass through. Each output line is the input plus reward (null when the line could \
            not be scored), components, reason and error. A summary goes to stderr.

            Exit status: 0 when every line was scored; 1 when at least one line has an error (malformed JSON, \
            not a sample, or not scorable) or a .gz input is corrupt or truncated; 64 for a usage or recipe error, before any line is read.
            """)

    @Argument(help: "JSONL input file (.gz read as gzip); '-' or nothing reads stdin.")
    var input: String = "-"

    @Option(help: "Recipe for lines that name none: a built-in name (see `reward recipes`) or a recipe .json file.")
    var recipe: String = "math"

    @Option(help: "A folder of extra recipe .json files, usable by name.")
    var recipes: String?

    @Option(help: "Lines scored together; a batch is extended so that consecutive lines with one prompt stay together.")
    var batchSize: Int = 256

    @Option(
        help: ArgumentHelp(
            "Stored results (earlier output of reward check or /v1/score) to re-score with this grader: prints "
                + "one JSON line per result where the two graders differ, and exits 1 when any differs."))
    var against: String?

    @Flag(help: "Do not print the summary to stderr.")
    var quiet = false

    func validate() throws {
        guard batchSize >= 1 && batchSize <= 1_000_000 else {
            throw ValidationError("--batch-size must be between 1 and 1000000, got \(batchSize)")
        }
    }

    func run() async throws {
        let book = try Catalog.book(extraRecipeFolder: recipes)
        let chosen = try Catalog.resolve(recipe, in: book)
        let scorer: RecordScorer
        do { scorer = try RecordScorer(book: book, defaultRecipe: chosen) } catch {
            throw ValidationError("recipe \(chosen.name): \(error)")
        }
        let grader: @Sendable (ScoredRecord) -> GraderIdentity = { GraderIdentity.of($0, book: book, fallback: chosen) }
        if let against {
            let tally = try await CheckAgainst(scorer: scorer, grader: grader).run(against)
            if !quiet {
                let now = GraderIdentity(recipe: chosen)
                FileHandle.standardError.write(Data(CheckAgainst.summary(tally, path: against, now: now).utf8))
            }
            if tally.disagree > 0 { throw ExitCode(1) }
            return
        }
        let source = try InputFile.open(input)
        let summary = try await CheckPipeline(scorer: scorer, batchSize: batchSize, quiet: quiet, grader: grader)
            .run(source.handle)
        do { try source.finished() } catch {
            FileHandle.standardError.write(Data("reward check: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if summary.errors > 0 { throw ExitCode(1) }
    }
}
