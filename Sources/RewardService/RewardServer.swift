import Foundation
import Hummingbird
import HummingbirdCore
import RewardKit

/// The reward service: routes, admission control, deadlines and metrics over one `ServiceConfiguration`.
///
/// Routes: `POST /v1/score` (native), `POST /v1/run_tests` (one program, many tests), `POST /run_code` +
/// `GET /v1/ping` (SandboxFusion), `POST /get_reward`
/// (OpenRLHF), `GET /v1/recipes`, `GET /healthz`, `GET /metrics`. Every accepted request gets exactly one answer:
/// a result, or a JSON `{"error": …}` with 400 (malformed, or nested deeper than the depth limit), 401 (token),
/// 413 (body or member count over its limit), 422 (unknown language), 429 (queue full, or the request cannot start
/// before its deadline; Retry-After), 503 (deadline passed or no sandbox). A request whose client closes the
/// connection is cancelled: dropped from the line, or its work cancelled (a running box killed), its slot freed.
public struct RewardServer: Sendable {
    public let configuration: ServiceConfiguration
    public let metrics = ServiceMetrics()
    /// Slots for scoring requests (`/v1/score`, `/get_reward`).
    let scoring: Admission
    /// Slots for sandboxed runs (`/run_code`), kept apart so that slow programs never queue math batches.
    let sandbox: Admission
    let scorers: [String: RecordScorer]
    /// Every component key the OpenRLHF recipe has reported (see `openRLHF`).
    let openRLHFKeys = ComponentKeys()
    /// Whether each open connection's client is still there (see `httpServer`).
    let clients = ClientWatches()

    public init(_ configuration: ServiceConfiguration) throws {
        self.configuration = configuration
        scoring = Admission(concurrency: configuration.concurrency, queueLimit: configuration.queueLimit)
        sandbox = Admission(concurrency: configuration.sandboxSlots, queueLimit: configuration.queueLimit)
        var scorers: [String: RecordScorer] = [:]
        for (name, recipe) in configuration.book.recipes {
            // A recipe whose terms this build lacks is left out here and reported when a request names it.
            if let s = try? RecordScorer(book: configuration.book, defaultRecipe: recipe) { scorers[name] = s }
        }
        for name in [configuration.defaultRecipe, configuration.openRLHFRecipe] where scorers[name] == nil {
            throw RecipeError("recipe \"\(name)\" cannot be built: \(Self.buildError(name, configuration.book))")
        }
        self.scorers = scorers
        let (scoring, sandbox) = (self.scoring, self.sandbox)
        metrics.queueDepth = { scoring.queued + sandbox.queued }
    }

    private static func buildError(_ name: String, _ book: RecipeBook) -> String {
        do {
            _ = try book.reward(named: name)
            return "unknown error"
        } catch { return "\(error)" }
    }

    /// The router with every route and middleware.
    public func router() -> Router<ServiceContext> {
        let router = Router(context: ServiceContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        if let token = configuration.token { router.add(middleware: BearerAuth(token: token)) }
        router.get("healthz") { _, _ in "ok\n" }
        router.get("v1/ping") { _, _ in JSONResponse.make(.string("pong")) }  // SandboxFusion: the JSON "pong"
        router.get("v1/recipes") { _, _ in recipesResponse() }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: await metrics.render())))
        }
        router.post("v1/score") { r, c in await guarded(r, c, in: scoring, timeoutField: true, score) }
        router.post("get_reward") { r, c in await guarded(r, c, in: scoring, openRLHF) }
        router.post("run_code") { r, c in await guarded(r, c, in: sandbox, runCode) }
        router.post("v1/run_tests") { r, c in await guarded(r, c, in: sandbox, runTests) }
        return router
    }

    /// HTTP/1.1 with a `ClientCloseHandler` on every connection, so that a request whose client closes is cancelled
    /// by the connection's event loop at once (without it, Hummingbird's own, slower detection is what remains).
    public var httpServer: HTTPServerBuilder {
        let clients = self.clients
        return .http1(configuration: .init(additionalChannelHandlers: [ClientCloseHandler(watches: clients)]))
    }

    /// The application, bound as configured; `runService()` serves until SIGTERM/SIGINT, then finishes the
    /// requests in flight before exiting. `onRunning` gets the bound port (useful with port 0).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(), server: httpServer,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "arbiter"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) })
    }

    // MARK: - Request handling

    /// Admits, reads, parses and runs one request: see `RewardServer+Guard.swift`.
    func guarded(
        _ request: Request, _ context: ServiceContext, in admission: Admission, timeoutField: Bool = false,
        _ work: @escaping @Sendable (JSON) async throws(ServiceError) -> Response
    ) async -> Response {
        await Guard(server: self, admission: admission, timeoutField: timeoutField, work: work)
            .respond(to: request, watch: clients.watch(for: context.connection))
    }

    func recipesResponse() -> Response {
        let book = configuration.book
        let list = book.names.map { name -> JSON in
            var o = book.recipes[name]!.json.objectValue!
            o["available"] = .bool(scorers[name] != nil)
            return .object(o)
        }
        let terms = book.registry.names.map {
            JSON.object(JSONObject([("name", .string($0)), ("summary", .string(book.registry.entry($0)!.summary))]))
        }
        return JSONResponse.make(
            .object(
                JSONObject([
                    ("default", .string(configuration.defaultRecipe)), ("recipes", .array(list)),
                    ("terms", .array(terms)),
                ])))
    }
}
