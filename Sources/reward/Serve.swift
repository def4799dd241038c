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

    @Option(name: [.customLong("workers"), .customLong("concurrency")], help: "Requests processed at once.")
    var workers = 4

    @Option(help: "Sandboxed /run_code programs run at once (a pool apart from scoring).")
    var sandboxSlots = 4

    @Option(help: "Requests that may wait for a worker (per pool); more get 429 with Retry-After.")
    var queue = 64

    @Option(help: "Seconds from a request's arrival to its answer before it gets 503.")
    var timeout = 60.0

    @Option(help: "Largest request body in MiB (larger get 413).")
    var maxBodyMib = 64

    @Option(help: "A folder of extra recipe .json files, usable by name.")
    var recipes: String?

    @Option(help: "Recipe for /v1/score requests that name none.")
    var recipe = "math"

    @Option(help: "Recipe for OpenRLHF's /get_reward (labels are the reference answers).")
    var openrlhfRecipe = "math"

    @Option(help: "Require 'Authorization: Bearer TOKEN' on every route but /healthz.")
    var token: String?

    @Option(help: "Directory of sandbox profiles (default: $ARBITER_SANDBOXES or the nearest Sandboxes/).")
    var sandboxes: String?

    @Flag(help: "Run code even without a cgroup (limits per process only) instead of refusing.")
    var allowWeakerIsolation = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, got \(port)") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
        guard sandboxSlots >= 1 else { throw ValidationError("--sandbox-slots must be at least 1, got \(sandboxSlots)") }
        guard queue >= 0 else { throw ValidationError("--queue must be 0 or more, got \(queue)") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive, got \(timeout)") }
        guard maxBodyMib >= 1 else { throw ValidationError("--max-body-mib must be at least 1, got \(maxBodyMib)") }
    }

    func run() async throws {
        var config = ServiceConfiguration()
        config.host = host
        config.port = port
        config.concurrency = workers
        config.queueLimit = queue
        config.sandboxSlots = sandboxSlots
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
        try await server.application { bound in
            if let portFile { try? "\(bound)\n".write(toFile: portFile, atomically: true, encoding: .utf8) }
        }.runService()
    }
}
