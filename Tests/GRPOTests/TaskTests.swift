import Foundation
import GRPO
import RewardKit
import Testing

/// Rows of a gzip'ed JSONL file of Datasets/public (read with gzip -dc); fails when the file is missing.
func sharedRecords(_ name: String) throws -> [JSON] {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let path = repo.appendingPathComponent("Datasets/public/\(name)").path
    guard FileManager.default.fileExists(atPath: path) else {
        throw GRPOError("dataset \(path) is missing (see Datasets/README.md)")
    }
    let gunzip = Process()
    gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
    gunzip.arguments = ["-dc", path]
    let out = Pipe()
    gunzip.standardOutput = out
    try gunzip.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    gunzip.waitUntilExit()
    return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { try JSONParser.parse(String($0)) }
}

@Suite struct TaskTests {
    @Test(arguments: ArithmeticTasks.difficulties)
    func arithmeticSplitsAreDisjointAndAnswersCorrect(difficulty: Int) throws {
        let gen = try ArithmeticTasks(difficulty: difficulty)
        let n = difficulty == 1 ? 60 : 200
        let train = try gen.generate(count: n, split: .train, seed: 1)
        let held = try gen.generate(count: difficulty == 1 ? 12 : 50, split: .heldOut, seed: 2)
        // The numbers and operation words of the prompt name the problem; no problem may be in both splits.
        let key = { (t: TaskItem) in Self.problem(t.prompt) }
        #expect(Set(train.map(key)).isDisjoint(with: held.map(key)))
        #expect(Set(train.map(key)).count == n)
        for t in train + held {
            if difficulty == 5 {
                // Worked steps: each line a true equation on the running value, the last one ending in the answer.
                let lines = t.solution!.split(separator: "\n").map(String.init)
                #expect(lines.count == 2)
                for line in lines {
                    let sides = line.split(separator: "=").map(String.init)
                    #expect(sides.count == 2 && Self.evaluate(sides[0]) == Int(sides[1]), "\(line)")
                }
                #expect(lines.last!.hasSuffix("=\(t.answer!)"))
                // The flawed teacher stops one operation short: the first step, answering the intermediate result.
                #expect(t.flawedSolution == lines[0])
            } else {
                #expect(t.solution == t.answer)
                #expect(t.flawedSolution == String(Int(t.answer!)! + 1))
            }
            #expect(Self.evaluate(Self.problem(t.prompt)) == Int(t.answer!))
            #expect(Int(t.answer!)! >= 0)
        }
        #expect(try gen.generate(count: 10, split: .train, seed: 1) == Array(train.prefix(10)))
        #expect(try gen.generate(count: 10, split: .train, seed: 7) != Array(train.prefix(10)))
    }

    /// "Ann has 3 pens. Ann gets 5 more. Ann gives away 2." → "3+5-2"; "… buys 3 boxes of 4 …" → "3*4".
    static func problem(_ prompt: String) -> String {
        var expr = ""
        let words = prompt.split(separator: " ").map { $0.trimmingCharacters(in: .punctuationCharacters) }
        for (i, w) in words.enumerated() where Int(w) != nil {
            let before = i > 0 ? words[i - 1] : ""
            let op = before == "gets" ? "+" : before == "away" ? "-" : before == "of" ? "*" : ""
            expr += op + w
        }
        return expr
    }

    /// Left-to-right evaluation of "a+b-c" / "a*b".
    static func evaluate(_ expr: String) -> Int {
        var value = 0
        var op: Character = "+"
        var number = ""
        for ch in expr + "+" {
            if ch.isNumber {
                number.append(ch)
                continue
            }
            let n = Int(number)!
            value = op == "+" ? value + n : op == "-" ? value - n : value * n
            op = ch
            number = ""
        }
        return value
    }

    @Test func arithmeticRejectsBadKnobs() {
        #expect(throws: GRPOError.self) { try ArithmeticTasks(difficulty: 0) }
        #expect(throws: GRPOError.self) { try ArithmeticTasks(difficulty: 1, heldOutPercent: 100) }
        // Difficulty 1 has 100 problems: 1000 distinct train problems cannot exist.
        #expect(throws: GRPOError.self) {
            try ArithmeticTasks(difficulty: 1).generate(count: 1000, split: .train, seed: 0)
        }
    }

    @Test func splitIsAFunctionOfTheKey() {
        var held = 0
        for i in 0..<1000 {
            let s = TaskSplit.of(key: "k\(i)", heldOutPercent: 20)
            #expect(s == TaskSplit.of(key: "k\(i)", heldOutPercent: 20))
            if s == .heldOut { held += 1 }
        }
        #expect((150...250).contains(held))
        #expect(TaskSplit.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(TaskSplit.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)  // published FNV-1a 64 test vector
    }

    @Test func pythonTasksAreDisjointWithCallTests() throws {
        let gen = try PythonFunctionTasks()
        let train = try gen.generate(count: 40, split: .train, seed: 3)
        let held = try gen.generate(count: 8, split: .heldOut, seed: 4)
        #expect(Set(train.map(\.prompt)).isDisjoint(with: held.map(\.prompt)))
        for t in train + held {
            #expect(t.language == "python")
            #expect(t.tests?.objectValue?["kind"] == "call")
            #expect(t.tests?.objectValue?["cases"]?.arrayValue?.count == 4)
            #expect(t.solution!.hasPrefix("def f(x):"))
            // The flawed demonstration writes the next constant: the k + 1 that the grading test shows failing.
            let k = try #require(t.solution!.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) })
            #expect(t.flawedSolution == t.solution!.replacingOccurrences(of: "\(k)", with: "\(k + 1)"))
        }
    }

    @Test func taskJSONRoundTrips() throws {
        let tasks =
            try ArithmeticTasks(difficulty: 2).generate(count: 3, split: .train, seed: 5)
            + PythonFunctionTasks().generate(count: 3, split: .train, seed: 5)
        for t in tasks {
            #expect(try TaskItem(json: JSONParser.parse(t.json.jsonText)) == t)
            #expect(t.json.objectValue?["flawed_solution"]?.stringValue == t.flawedSolution)
        }
        #expect(throws: GRPOError.self) { try TaskItem(json: ["id": "x", "prompt": "p"]) }
    }

    @Test func passAtKMatchesTheClosedForm() throws {
        // 1 − C(n−c, k)/C(n, k) computed directly.
        func binom(_ n: Int, _ k: Int) -> Double {
            k < 0 || k > n ? 0 : (0..<k).reduce(1.0) { $0 * Double(n - $1) / Double($1 + 1) }
        }
        for n in 1...12 {
            for c in 0...n {
                for k in 1...n {
                    let want = 1 - binom(n - c, k) / binom(n, k)
                    #expect(abs(try PassAtK.estimate(n: n, c: c, k: k) - want) < 1e-12, "n \(n) c \(c) k \(k)")
                }
            }
        }
        #expect(abs(try PassAtK.estimate(n: 10, c: 3, k: 1) - 0.3) < 1e-12)
        #expect(try PassAtK.mean([(4, 0), (4, 4)], k: 2) == 0.5)
        #expect(throws: GRPOError.self) { try PassAtK.estimate(n: 4, c: 5, k: 1) }
        #expect(throws: GRPOError.self) { try PassAtK.estimate(n: 4, c: 1, k: 5) }
    }

    @Test func plotDrawsEveryPanel() {
        let plot = CurvePlot(
            title: "a < b",
            series: [
                .init(title: "reward/mean", points: [(0, 0.1), (1, 0.5), (2, .nan), (3, 0.9)]),
                .init(title: "entropy", points: []),
            ])
        let svg = plot.svg
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("a &lt; b"))
        #expect(svg.components(separatedBy: "<polyline").count == 2)
        #expect(svg.contains("no data"))
        // Three finite points → three coordinate pairs; the NaN is skipped.
        let points = svg.components(separatedBy: "points=\"")[1].split(separator: "\"")[0]
        #expect(points.split(separator: " ").count == 3)
    }

    @Test func plotOverlaysLabelledCurvesInDistinctColours() {
        let plot = CurvePlot(
            title: "ablation",
            series: [
                .init(
                    title: "entropy",
                    curves: [("clip 0.2/0.28", [(1, 0.5), (2, 0.4)]), ("clip 0.2/0.2", [(1, 0.5), (2, 0.3)])])
            ])
        let svg = plot.svg
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        #expect(svg.contains("stroke=\"#1f77b4\"") && svg.contains("stroke=\"#ff7f0e\""))
        #expect(svg.contains(">clip 0.2/0.28</text>") && svg.contains(">clip 0.2/0.2</text>"))
        // Both curves share the panel's scale: the lowest value (0.3) sits on the bottom edge, the highest on top.
        #expect(svg.contains(">0.3</text>") && svg.contains(">0.5</text>"))
    }

    /// A run's curves: reward and accuracy share a panel (noted when identical), KL says when β = 0 turned it off,
    /// every panel names its x axis and has round ticks between its extremes.
    @Test func runCurvesAreReadable() {
        let lines: [JSONObject] = (1...12).map { step in
            let r = Double(step) / 12
            return JSONObject([
                ("step", .int(Int64(step))), ("reward/mean", .double(r)), ("accuracy", .double(r)),
                ("kl", .double(0)), ("entropy", .double(2 - r)),
            ])
        }
        let svg = CurvePlot.trainingRun(lines, beta: 0, title: "run").svg
        #expect(svg.contains(">reward/mean and accuracy</text>"))
        #expect(svg.contains("the reward is the accuracy"))
        #expect(svg.contains("KL off (β = 0)"))
        #expect(svg.components(separatedBy: ">step</text>").count - 1 == 6, "every panel names its x axis")
        // Steps 1…12 get round ticks (0, 5, 10, 15), not only the two extremes.
        for tick in ["5", "10", "15"] { #expect(svg.contains(">\(tick)</text>"), "x tick \(tick)") }
        let different = lines.map { l in
            JSONObject(l.entries.map { ($0.key, $0.key == "accuracy" ? JSON.double(0.5) : $0.value) })
        }
        let other = CurvePlot.trainingRun(different, beta: 0.04, title: "run").svg
        #expect(!other.contains("the reward is the accuracy") && other.contains("β = 0.04"))
    }

    @Test func ticksAreRoundAndCoverTheRange() {
        #expect(CurvePlot.ticks(0.13, 0.87, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(CurvePlot.ticks(1, 40, count: 6, integral: true) == [0, 10, 20, 30, 40])
        #expect(CurvePlot.ticks(-3, 3, count: 5) == [-4, -2, 0, 2, 4])
        #expect(CurvePlot.ticks(1, 2, count: 6, integral: true) == [1, 2])
    }

    @Test func metricKeysAreStable() {
        for key in [
            "reward/mean", "reward/std", "accuracy", "loss/policy", "kl", "entropy", "clip_frac/low",
            "clip_frac/high", "groups/filtered", "response_length", "tokens_per_s", "time/generate", "time/score",
            "time/update",
        ] {
            #expect(MetricKeys.all.contains(key), "\(key)")
        }
        #expect(Set(MetricKeys.all).count == MetricKeys.all.count)
    }

    @Test(arguments: [
        ("gsm8k_test.jsonl.gz", TaskFormat.gsm8k), ("math500_test.jsonl.gz", .math), ("humaneval.jsonl.gz", .humaneval),
        ("mbpp.jsonl.gz", .mbpp),
    ])
    func loadersReadThePublishedFiles(file: String, format: TaskFormat) throws {
        let records = try sharedRecords(file)
        let tasks = try records.enumerated().map { try format.task($1, index: $0) }
        #expect(tasks.count == records.count)
        #expect(Set(tasks.map(\.id)).count == tasks.count)
        switch format {
        case .gsm8k:
            #expect(tasks.allSatisfy { Int($0.answer!) != nil })
            #expect(tasks[0].answer == "18")  // Janet's ducks
        case .math: #expect(tasks.allSatisfy { !($0.answer ?? "").isEmpty })
        case .humaneval, .mbpp:
            #expect(tasks.allSatisfy { $0.tests?.objectValue?["kind"] == "assert" && $0.language == "python" })
        case .arbiter: break
        }
        #expect(throws: GRPOError.self) { try format.task(["x": 1], index: 0) }
    }

    @Test func mathLoaderFindsTheLastBoxedAnswer() throws {
        let t = try TaskFormat.math.task(
            ["problem": "p", "solution": "so \\boxed{1} then \\boxed{\\frac{1}{2}}."], index: 0)
        #expect(t.answer == "\\frac{1}{2}")
    }
}
