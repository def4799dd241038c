extension TermRegistry {
    /// The terms RewardKit itself provides. Other modules add theirs (`CodeRewards` adds `code`).
    public static var standard: TermRegistry {
        var r = TermRegistry()
        r.registerTextTerms()
        r.registerCommandTerm()
        r.registerMathTerm()
        return r
    }

    mutating func registerTextTerms() {
        register(
            "format",
            summary: "1 if <think>…</think><answer>…</answer> layout (open-r1 format_reward); mode strict|lenient"
        ) { p in
            FormatReward(
                mode: FormatReward.Mode(
                    rawValue: try p.string("mode", default: "strict", oneOf: ["strict", "lenient"]))!)
        }
        register("tag_count", summary: "0.25 per think/answer tag present exactly once (open-r1 tag_count_reward)") {
            _ in
            TagCountReward()
        }
        register("reasoning_steps", summary: "min(1, step markers / min_steps) (open-r1 reasoning_steps_reward)") { p in
            ReasoningStepsReward(minSteps: try p.int("min_steps", default: 3, in: 1...1_000_000))
        }
        register(
            "repetition", summary: "n-gram repetition penalty in [max_penalty, 0] over words or token ids (open-r1)"
        ) { p in
            let n = try p.int("ngram_size", default: 3, in: 1...1_000_000)
            let penalty = try p.double("max_penalty", default: -1)
            guard penalty <= 0 else { throw p.bad("max_penalty", .double(penalty), "a number ≤ 0 (a penalty)") }
            let unit = try p.string("unit", default: "words", oneOf: ["words", "tokens"])
            return RepetitionPenaltyReward(ngramSize: n, maxPenalty: penalty, unit: .init(rawValue: unit)!)
        }
        register("length", summary: "Kimi 1.5 group length reward λ = 0.5 − (len−min)/(max−min) (open-r1 len_reward)") {
            p in
            LengthReward(
                correctness: try p.reward("correctness", default: ["term": "math"]),
                unit: try LengthUnit.parameter(p, default: .characters),
                groupBy: try p.string("group_by", default: "prompt"))
        }
        register("cosine_length", summary: "cosine-scaled length reward (open-r1 get_cosine_scaled_reward)") { p in
            var v = CosineLengthReward.Values()
            v.minWrong = try p.double("min_value_wrong", default: v.minWrong)
            v.maxWrong = try p.double("max_value_wrong", default: v.maxWrong)
            v.minCorrect = try p.double("min_value_correct", default: v.minCorrect)
            v.maxCorrect = try p.double("max_value_correct", default: v.maxCorrect)
            return CosineLengthReward(
                correctness: try p.reward("correctness", default: ["term": "math"]), values: v,
                maxLength: try p.int("max_len", default: 1000, in: 1...Int.max),
                unit: try LengthUnit.parameter(p, default: .characters),
                clipLength: try p.bool("clip_length", default: false))
        }
        register("overlong", summary: "DAPO soft overlong punishment (Eq. 13) with max_length L_max and cache L_cache")
        { p in
            let maxLength = try p.int("max_length", default: 4096, in: 1...Int.max)
            let cache = try p.int("cache", default: 512, in: 1...Int.max)
            guard cache <= maxLength else {
                throw p.bad("cache", .int(Int64(cache)), "a number ≤ max_length (\(maxLength))")
            }
            return SoftOverlongReward(
                maxLength: maxLength, cache: cache, unit: try LengthUnit.parameter(p, default: .tokens))
        }
    }

    mutating func registerCommandTerm() {
        register(
            "command", summary: "an external program speaking JSON lines on stdin/stdout (argv, timeout, workers)",
            hostAccess: "runs a program on the scoring machine"
        ) { p in
            let argv = try p.strings("argv", default: [])
            guard !argv.isEmpty else { throw p.bad("argv", p.values["argv"] ?? .null, "a non-empty list of strings") }
            return CommandReward(
                argv: argv, timeout: try p.double("timeout", default: 30, in: 0.001...86_400),
                workers: try p.int("workers", default: 1, in: 1...256),
                workingDirectory: try p.optionalString("cwd"))
        }
    }
}
