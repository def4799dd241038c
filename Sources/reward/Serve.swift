import ArgumentParser
import Foundation
import Hummingbird
import RewardKit
import RewardService

/// `reward serve`: the reward service for verl, OpenRLHF and TRL.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve rewards over HTTP: /v1/score, SandboxFusion /run_code, OpenRLHF /get_reward, /metrics.",
        discussion: "Stops on SIGTERM or SIGINT after answering the requests in flight.")

    @Option(help: "Address to bind (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0 picks a free one; see --port-file).")
    var port = 8000

    @Option(help: "Write the bound port to this file once the server is listening.")
    var portFile: String?

    @Option(
        name: [.customLong("workers"), .customLong("concurrency")],
        help: "Scoring requests processed at once (default: one per core, at least 2).")
    var workers: Int?

    @Option(
        help: ArgumentHelp(
            "Sandboxed /run_code programs run at once, a pool apart from scoring (default: 4 per core, at "
                + "most one per 512 MiB of memory, at least 2)."))
    var sandboxSlots: Int?

    @Option(help: "Requests that may wait for a worker (per pool); more get 429 with Retry-After.")
    var queue = 64

    @Option(
        help: ArgumentHelp(
            "Seconds from a request's arrival to its answer before it gets 503; a request may ask for less "
                + "(header X-Request-Timeout, or /v1/score's \"timeout\" field). One that cannot start in time gets 429."
        ))
    var timeout = 60.0

    @Option(help: "Largest request body in MiB (larger get 413).")
    var maxBodyMib = 64

    @Option(help: "Deepest nesting of a request's JSON (deeper: 400).")
    var maxJsonDepth = 512

    @Option(help: "Most array elements and object members in a request's JSON (more: 413).")
    var maxJsonMembers = 1 << 21

    @Option(help: "A folder of extra recipe .json files, usable by name.")
    var recipes: String?

    @Option(help: "Recipe for /v1/score requests that name none.")
    var recipe = "math"

    @Option(help: "Recipe for OpenRLHF's /get_reward (labels are the reference answers).")
    var openrlhfRecipe = "math"

    @Option(
        name: .customLong("openrlhf-end-text"),
        help: ArgumentHelp(
            "Text cut from the end of OpenRLHF queries (repeat it; default: the end-of-sequence texts of "
                + "common tokenizers; 'none': cut nothing)."))
    var openrlhfEndTexts: [String] = []

    @Option(help: "Require 'Authorization: Bearer TOKEN' on every route but /healthz.")
    var token: String?

    @Option(help: "Directory of sandbox profiles (default: $ARBITER_SANDBOXES or the nearest Sandboxes/).")
    var sandboxes: String?

    @Flag(help: "Run code even without a cgroup (limits per process only) instead of refusing.")
    var allowWeakerIsolation = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, got \(port)") }
        guard (workers ?? 1) >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers!)") }
        guard (sandboxSlots ?? 1) >= 1 else {
            throw ValidationError("--sandbox-slots must be at least 1, got \(sandboxSlots!)")
        }
        guard maxJsonDepth >= 1, maxJsonMembers >= 1 else {
            throw ValidationError("--max-json-depth and --max-json-members must be at least 1")
        }
        guard queue >= 0 else { throw ValidationError("--queue must be 0 or more, got \(queue)") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive, got \(timeout)") }
        guard maxBodyMib >= 1 else { throw ValidationError("--max-body-mib must be at least 1, got \(maxBodyMib)") }
    }

    func run() async throws {
        var config = ServiceConfiguration()
        config.host = host
        config.port = port
        if let workers { config.concurrency = workers }
        config.queueLimit = queue
        if let sandboxSlots { config.sandboxSlots = sandboxSlots }
        config.maxJSONDepth = maxJsonDepth
        config.maxJSONMembers = maxJsonMembers
        if openrlhfEndTexts == ["none"] {
            config.openRLHFEndTexts = []
        } else if !openrlhfEndTexts.isEmpty {
            config.openRLHFEndTexts = openrlhfEndTexts
        }
        config.requestTimeout = timeout
        config.maxBodyBytes = maxBodyMib << 20
        config.token = token
        config.book = try Catalog.book(extraRecipeFolder: recipes)
        config.defaultRecipe = recipe
        config.openRLHFRecipe = openrlhfRecipe
        config.codeExecutor = try Catalog.codeExecutor(sandboxes: sandboxes, allowWeakerIsolation: allowWeakerIsolation)
        let server: RewardServer
        do { server = try RewardServer(config) } catch { throw ValidationError("\(error)") }
        let portFile = self.portFile
        let machine = MachineSize.current
        let c = server.configuration
        try await server.application { bound in
            if let portFile { try? "\(bound)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
            let line =
                "reward serve: listening on \(c.host):\(bound); \(c.concurrency) scoring workers, "
                + "\(c.sandboxSlots) sandbox slots (machine: \(machine.cores) cores, "
                + "\(machine.memoryBytes >> 30) GiB), queue \(c.queueLimit) per pool, timeout \(c.requestTimeout) s\n"
            FileHandle.standardError.write(Data(line.utf8))
        }.runService()
    }
}
