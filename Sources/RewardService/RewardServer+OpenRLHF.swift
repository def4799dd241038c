import Hummingbird
import RewardKit
import Synchronization

extension RewardServer {
    /// `POST /get_reward` (OpenRLHF `--reward.remote_url`):
    /// `{"query": [text…], "prompts": [text…], "labels": [ref…]}`.
    ///
    /// `query[i]` is prompt + response + the tokenizer's end-of-sequence text (OpenRLHF decodes with special tokens
    /// kept): the prompt is stripped when `query[i]` starts with `prompts[i]`, and every text of
    /// `openRLHFEndTexts` is cut from the end, so that `format` terms see the response alone.
    /// Answers `{"rewards": […], "scores": […], "extra_logs": {component: […]}, "errors": [null | text…], "grader"}`
    /// with a number for every sample under every key: OpenRLHF stacks each key into a tensor of the batch's size, so an
    /// unscorable sample gets 0 everywhere and its reason in `errors`, and every response names every component
    /// the recipe has (found by scoring a probe sample, and every component any response has reported).
    func openRLHF(_ json: JSON) async throws(ServiceError) -> Response {
        guard let o = json.objectValue else {
            throw .badRequest("expected an object with \"query\", got \(json.kindDescription)")
        }
        guard let queries = o["query"]?.arrayValue else {
            let got = o["query"]?.jsonText.prefix(80) ?? "nothing"
            throw .badRequest("field \"query\" must be a list of strings, got \(got)")
        }
        let prompts = o["prompts"]?.arrayValue
        let labels = o["labels"]?.arrayValue
        if let prompts, prompts.count != queries.count {
            throw .badRequest("\"prompts\" has \(prompts.count) entries but \"query\" has \(queries.count)")
        }
        if let labels, labels.count != queries.count {
            throw .badRequest("\"labels\" has \(labels.count) entries but \"query\" has \(queries.count)")
        }
        let inputs: [RecordScorer.Input] = queries.indices.map { i in
            guard let query = queries[i].stringValue else { return .invalid("query[\(i)] must be a string") }
            let prompt = prompts?[i].stringValue ?? ""
            let response = openRLHFResponse(query: query, prompt: prompt)
            var sample = JSONObject([("prompt", .string(prompt)), ("completion", .string(response))])
            if let label = labels?[i], !label.isNull { sample["answer"] = label }
            return .object(sample)
        }
        let scorer = scorers[configuration.openRLHFRecipe]!
        if !openRLHFKeys.probed { openRLHFKeys.insert(await Self.probeKeys(scorer), probe: true) }
        let results = await scorer.score(inputs)
        metrics.recordSamples(results.count)
        openRLHFKeys.insert(results.flatMap { $0.score.components.keys })
        let rewards = results.map { JSON.double($0.score.isError ? 0 : $0.score.value) }
        var logs = JSONObject()
        for key in openRLHFKeys.sorted {
            logs[key] = .array(results.map { r in .double(r.score.isError ? 0 : r.score.components[key] ?? 0) })
        }
        return JSONResponse.make(
            .object(
                JSONObject([
                    ("rewards", .array(rewards)), ("scores", .array(rewards)), ("extra_logs", .object(logs)),
                    ("errors", .array(results.map { $0.score.error.map(JSON.string) ?? .null })),
                    ("grader", openRLHFGrader),
                ])))
    }

    /// Who graded `/get_reward`'s samples (one recipe for all): `GraderIdentity` of `--openrlhf-recipe`. OpenRLHF
    /// reads `rewards`, `scores` and `extra_logs` and passes over other keys, as it does `errors`.
    var openRLHFGrader: JSON {
        configuration.book.recipes[configuration.openRLHFRecipe].map { GraderIdentity(recipe: $0).json } ?? .null
    }

    /// The response inside an OpenRLHF query: after the prompt, before trailing end-of-sequence texts.
    func openRLHFResponse(query: String, prompt: String) -> String {
        var response = query[...]
        if !prompt.isEmpty && query.hasPrefix(prompt) { response = query.dropFirst(prompt.count) }
        let ends = configuration.openRLHFEndTexts.filter { !$0.isEmpty }
        while let end = ends.first(where: { response.hasSuffix($0) }) { response = response.dropLast(end.count) }
        return String(response)
    }

    /// Component keys the recipe reports for a well-formed R1-style sample with its right answer.
    static func probeKeys(_ scorer: RecordScorer) async -> [String] {
        let probe = JSONObject([
            ("prompt", "1+1?"), ("completion", "<think>\n1+1 is 2\n</think>\n<answer>\n2\n</answer>"), ("answer", "2"),
        ])
        return await scorer.score([.object(probe)]).flatMap { $0.score.components.keys }
    }
}

/// A growing set of component names, shared by every request.
final class ComponentKeys: Sendable {
    private let state = Mutex((keys: Set<String>(), probed: false))
    /// True once the probe's keys are in.
    var probed: Bool { state.withLock { $0.probed } }
    var sorted: [String] { state.withLock { $0.keys.sorted() } }
    func insert(_ names: [String], probe: Bool = false) {
        state.withLock { s in
            s.keys.formUnion(names)
            if probe { s.probed = true }
        }
    }
}
