import Hummingbird
import RewardKit

extension RewardServer {
    /// `POST /v1/score`: `{"samples": [sample…], "recipe": name | {recipe}}`, or a bare array of samples.
    /// Answers `{"recipe": name, "results": [result…]}`, one result per sample in order, each exactly as a
    /// `reward check` output line (with its `grader` identity); a bad sample gets its own `error` and the rest are
    /// scored.
    func score(_ json: JSON) async throws(ServiceError) -> Response {
        let samples: [JSON]
        var recipeField: JSON?
        switch json {
        case .array(let a):
            samples = a
        case .object(let o):
            for key in o.keys where key != "samples" && key != "recipe" {
                throw .badRequest("unknown field \"\(key)\"; a request has \"samples\" and an optional \"recipe\"")
            }
            guard let a = o["samples"]?.arrayValue else {
                throw .badRequest(
                    "field \"samples\" must be a list of samples, got \(o["samples"]?.jsonText.prefix(80) ?? "nothing")"
                )
            }
            samples = a
            recipeField = o["recipe"]
        default:
            throw .badRequest("expected an object with \"samples\" or a list of samples, got \(json.kindDescription)")
        }
        let scorer = try scorer(for: recipeField)
        let graded = recipe(for: recipeField)
        let inputs: [RecordScorer.Input] = samples.map { s in
            if let o = s.objectValue { return .object(o) }
            return .invalid("expected a sample object, got \(s.kindDescription)")
        }
        let results = await scorer.score(inputs)
        metrics.recordSamples(results.count)
        return JSONResponse.make(
            .object(
                JSONObject([
                    ("recipe", .string(scorer.defaultRecipeName)),
                    (
                        "results",
                        .array(
                            results.map { r in
                                var o = r.json
                                if let graded {
                                    o["grader"] = GraderIdentity.of(r, book: configuration.book, fallback: graded).json
                                }
                                return .object(o)
                            })
                    ),
                ])))
    }

    /// The recipe a request's `recipe` field names or holds (for the results' `grader` identity).
    func recipe(for field: JSON?) -> Recipe? {
        switch field {
        case nil, .null?: return configuration.book.recipes[configuration.defaultRecipe]
        case .string(let name)?: return configuration.book.recipes[name]
        case let inline?: return try? Recipe(json: inline)
        }
    }

    /// The scorer for a request's `recipe` field: absent → the default, a name → that recipe, an object → inline
    /// (built by `TermRegistry.forUntrustedRecipes`: no term that runs programs or reads paths on this machine).
    func scorer(for field: JSON?) throws(ServiceError) -> RecordScorer {
        switch field {
        case nil, .null?:
            return scorers[configuration.defaultRecipe]!
        case .string(let name)?:
            if let s = scorers[name] { return s }
            do { _ = try configuration.book.reward(named: name) } catch { throw .badRequest("recipe: \(error)") }
            throw .badRequest("recipe \"\(name)\" cannot be built in this service")
        case .object?:
            // A recipe from the network is built without the terms that touch this machine (a `command` term
            // would run any program a client names; `reward_model` would load any path).
            do {
                let recipe = try Recipe(json: field!)
                return try RecordScorer(
                    book: configuration.book, defaultRecipe: recipe,
                    registry: configuration.book.registry.forUntrustedRecipes())
            } catch { throw .badRequest("recipe: \(error)") }
        case let other?:
            throw .badRequest(
                "field \"recipe\" must be a recipe name or a recipe object, got \(other.jsonText.prefix(80))")
        }
    }

    /// `POST /run_code` (SandboxFusion): runs the program and reports exit codes as SandboxFusion does.
    /// Exit codes can be forged by the program (`sys.exit(0)`); `/v1/score` with the code recipes grades
    /// through trusted graders instead.
    func runCode(_ json: JSON) async throws(ServiceError) -> Response {
        let request = try RunCodeRequest(json: json)
        guard let executor = configuration.codeExecutor else {
            throw ServiceError(.serviceUnavailable, "no sandbox is configured in this service")
        }
        try executor.validate(request)
        let response = await executor.run(request)
        return JSONResponse.make(response.json)
    }
}

extension RewardServer {
    /// `POST /v1/run_tests`: one program, many stdio cases (`RunTestsRequest`), compiled once.
    func runTests(_ json: JSON) async throws(ServiceError) -> Response {
        let request = try RunTestsRequest(json: json)
        guard let executor = configuration.codeExecutor else {
            throw ServiceError(.serviceUnavailable, "no sandbox is configured in this service")
        }
        try executor.validate(request.program)
        let response = try await executor.runTests(request)
        return JSONResponse.make(response.json)
    }
}
