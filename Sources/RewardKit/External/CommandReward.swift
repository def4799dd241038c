import Foundation

/// A reward computed by an external program speaking JSON lines, in any language.
///
/// Protocol: the program is started once and kept running. For each sample Arbiter writes one line,
/// `{"prompt": …, "completion": …, "reference": …, "sample": {…the input fields…}}`, and reads one line back:
/// a bare number, `{"reward": x, "components": {…}, "reason": "…"}`, or `{"error": "…"}`.
/// Each request has a timeout; a program that times out, crashes or answers with something else is restarted
/// for the next request, and the sample gets an error naming what happened. Up to `workers` processes answer
/// concurrently, one request at a time each.
public struct CommandReward: Reward {
    public let argv: [String]
    public let timeout: Double
    private let pool: PluginPool

    public init(
        argv: [String], timeout: Double = 30, workers: Int = 1, environment: [String: String]? = nil,
        workingDirectory: String? = nil
    ) {
        precondition(!argv.isEmpty, "argv must name a program")
        precondition(workers >= 1, "workers must be at least 1, got \(workers)")
        self.argv = argv
        self.timeout = timeout
        self.pool = PluginPool(argv: argv, size: workers, environment: environment, workingDirectory: workingDirectory)
    }

    public func score(_ batch: [Sample]) async -> [Score] {
        await withTaskGroup(of: (Int, Score).self) { group in
            for (i, sample) in batch.enumerated() {
                group.addTask { (i, await scoreOne(sample)) }
            }
            var out = [Score](repeating: .failure("not scored"), count: batch.count)
            for await (i, s) in group { out[i] = s }
            return out
        }
    }

    private func scoreOne(_ sample: Sample) async -> Score {
        let request = JSON.object(
            JSONObject([
                ("prompt", .string(sample.prompt)),
                ("completion", .string(sample.completionText)),
                ("reference", sample.reference.map(JSON.string) ?? .null),
                ("sample", .object(sample.fields)),
            ]))
        let worker: PluginProcess
        do { worker = try await pool.acquire() } catch {
            return .failure("command \(argv.joined(separator: " ")): could not start: \(error)")
        }
        let result = await worker.request(request.jsonText, timeout: timeout)
        switch result {
        case .failure(let f):
            worker.kill()
            await pool.release(worker, healthy: false)
            return .failure("command \(worker.command): \(f)")
        case .success(let line):
            let score = Self.decode(line)
            await pool.release(worker, healthy: true)
            return score
        }
    }

    /// Reads one answer line.
    static func decode(_ line: String) -> Score {
        let json: JSON
        do { json = try JSONParser.parse(line) } catch {
            return .failure("command answered with invalid JSON (\(error)): \(line.prefix(120))")
        }
        if let x = json.doubleValue { return x.isFinite ? Score(x) : .failure("command answered a non-finite reward") }
        guard let o = json.objectValue else {
            return .failure("command answered \(json.jsonText.prefix(120)), expected a number or an object")
        }
        if let e = o["error"], !e.isNull { return .failure("command: \(e.stringValue ?? e.jsonText)") }
        guard let r = o["reward"]?.doubleValue, r.isFinite else {
            return .failure("command answer has no numeric \"reward\": \(line.prefix(120))")
        }
        var components: [String: Double] = [:]
        for (k, v) in o["components"]?.objectValue?.entries ?? [] {
            if let x = v.doubleValue { components[k] = x }
        }
        return Score(r, components: components, reason: o["reason"]?.stringValue)
    }
}

/// A bounded set of plugin processes, started lazily and replaced when one fails.
actor PluginPool {
    let argv: [String]
    let size: Int
    let environment: [String: String]?
    let workingDirectory: String?
    private var idle: [PluginProcess] = []
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(argv: [String], size: Int, environment: [String: String]?, workingDirectory: String?) {
        self.argv = argv
        self.size = size
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    func acquire() async throws -> PluginProcess {
        while true {
            while let p = idle.popLast() {
                if p.isAlive { return p }
                running -= 1
            }
            if running < size {
                running += 1
                do {
                    return try PluginProcess(argv: argv, environment: environment, workingDirectory: workingDirectory)
                } catch {
                    running -= 1
                    throw error
                }
            }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    func release(_ p: PluginProcess, healthy: Bool) {
        if healthy && p.isAlive { idle.append(p) } else { running -= 1 }
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}
