import Foundation
import RewardKit
import Sandbox

/// `reward bench sandbox`: the sandbox's cost over a bare interpreter start, and HumanEval graded end to end.
public struct SandboxBenchmark: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var median: Double  // seconds per execution
        public var perSecond: Double
        /// How the interpreter starts in the box ("exec'd", or the zygote's name); nil for the bare row.
        public var start: String?
        /// From a prestarted box (else the whole set-up on each run).
        public var prestarted: Bool
    }

    public var profile: Profile
    public var runs: Int
    public var workers: Int
    public var sandbox: Sandbox

    public init(profile: Profile, runs: Int, workers: Int, sandbox: Sandbox = Sandbox()) {
        self.profile = profile
        self.runs = runs
        self.workers = workers
        self.sandbox = sandbox
    }

    /// The profile's run command on an empty program (`pass`): bare, then boxed with the interpreter exec'd and,
    /// when the profile has a `zygote`, forked from it; each boxed way with the whole set-up on each run
    /// (prestarted boxes off) and from prestarted boxes. Sequential medians, and executions/s with `workers` in
    /// parallel. The kinds alternate run by run so that machine load hits them alike.
    public func measureStarts() async throws -> [Row] {
        let source = profile.source
        var execed = profile
        execed.zygote = nil
        let ways: [(String, Profile)] = [("exec'd", execed)] + (profile.zygote.map { [($0, profile)] } ?? [])
        let executions = ways.map { way -> Execution in
            var e = Execution(profile: way.1)
            e.files[source] = Array("pass\n".utf8)
            return e
        }
        var coldOptions = sandbox.options
        coldOptions.prestartedBoxes = 0
        let coldSandbox = Sandbox(options: coldOptions)
        // Outside the box the program file lives in a temporary directory; the command names it by absolute path.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent(source).path
        try "pass\n".write(toFile: file, atomically: true, encoding: .utf8)
        let bareCommand = profile.run.enumerated().map { i, word in
            word == source ? file : i == 0 ? profile.hostPath(of: word) : word
        }
        func timed(_ s: Sandbox, _ e: Execution) async throws -> Double {
            let t0 = Date()
            let r = try await s.run(e)
            guard r.verdict == .ok else { throw CodeRewardsError("boxed `pass` ended \(r.verdict): \(r.stderrText)") }
            return Date().timeIntervalSince(t0)
        }
        for e in executions { _ = try await timed(sandbox, e) }  // fills the prestarted pools
        var bare: [Double] = []
        var cold = Array(repeating: [Double](), count: ways.count)
        var warm = cold
        for _ in 0..<runs {
            bare.append(try Sandbox.runUnsandboxed(bareCommand))
            for (i, e) in executions.enumerated() {
                cold[i].append(try await timed(coldSandbox, e))
                try await Task.sleep(for: .milliseconds(5))  // let the pool refill, as it would between jobs
                warm[i].append(try await timed(sandbox, e))
            }
        }
        let sandbox = self.sandbox
        var rows = [
            Row(
                name: "bare \(bareCommand.joined(separator: " "))", median: median(bare),
                perSecond: try await throughput { _ = try Sandbox.runUnsandboxed(bareCommand) },
                start: nil, prestarted: false)
        ]
        for (i, e) in executions.enumerated() {
            let way = ways[i].0
            let label = i == 0 ? "interpreter exec'd" : "forked from \(way)"
            rows.append(
                Row(
                    name: "sandboxed, \(label), full set-up each run", median: median(cold[i]),
                    perSecond: .nan, start: way, prestarted: false))
            rows.append(
                Row(
                    name: "sandboxed, \(label), prestarted boxes", median: median(warm[i]),
                    perSecond: try await throughput { _ = try await sandbox.run(e) }, start: way,
                    prestarted: true))
        }
        return rows
    }

    /// Executions per second with `workers` running at once.
    func throughput(_ body: @escaping @Sendable () async throws -> Void) async throws -> Double {
        let t0 = Date()
        let total = runs
        let workers = self.workers
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<workers {
                group.addTask {
                    for _ in stride(from: w, to: total, by: workers) { try await body() }
                }
            }
            try await group.waitForAll()
        }
        return Double(total) / Date().timeIntervalSince(t0)
    }

    /// Grades HumanEval's canonical solutions with `workers`; returns (seconds, CPU seconds of the whole machine,
    /// passed, total). Machine CPU (`Sandbox.machineBusySeconds`) counts the pooled graders and the kernel's
    /// clean-up of boxes, which this process's own accounting misses.
    public func gradeHumanEval(rows: [JSONObject], grader: CodeGrader) async -> (Double, Double, Int, Int) {
        let samples = rows.map { row in
            Sample(
                prompt: row["prompt"]?.stringValue ?? "",
                completion: .text(row["canonical_solution"]?.stringValue ?? ""), language: "python", fields: row)
        }
        let t0 = Date()
        let cpu0 = Sandbox.machineBusySeconds() ?? .nan
        let scores = await CodeReward(grader: grader, mode: .allPass, workers: workers).score(samples)
        let cpu = (Sandbox.machineBusySeconds() ?? .nan) - cpu0
        return (
            Date().timeIntervalSince(t0), cpu, scores.filter { $0.value == 1 }.count,
            rows.count
        )
    }

    func median(_ xs: [Double]) -> Double { Self.median(xs) }
}
