import Foundation
import Hummingbird
import RewardKit

/// The reward service: routes, admission control, deadlines and metrics over one `ServiceConfiguration`.
///
/// Routes: `POST /v1/score` (native), `POST /run_code` + `GET /v1/ping` (SandboxFusion), `POST /get_reward`
/// (OpenRLHF), `GET /v1/recipes`, `GET /healthz`, `GET /metrics`. Every accepted request gets exactly one answer:
/// a result, or a JSON `{"error": …}` with 400 (malformed), 401 (token), 413 (body too large), 422 (unknown
/// language), 429 (queue full; Retry-After), 503 (deadline passed or no sandbox).
public struct RewardServer: Sendable {
    public let configuration: ServiceConfiguration
    public let metrics = ServiceMetrics()
    let admission: Admission
    let scorers: [String: RecordScorer]

    public init(_ configuration: ServiceConfiguration) throws {
        self.configuration = configuration
        admission = Admission(concurrency: configuration.concurrency, queueLimit: configuration.queueLimit)
        var scorers: [String: RecordScorer] = [:]
        for (name, recipe) in configuration.book.recipes {
            // A recipe whose terms this build lacks is left out here and reported when a request names it.
            if let s = try? RecordScorer(book: configuration.book, defaultRecipe: recipe) { scorers[name] = s }
        }
        for name in [configuration.defaultRecipe, configuration.openRLHFRecipe] where scorers[name] == nil {
            throw RecipeError("recipe \"\(name)\" cannot be built: \(Self.buildError(name, configuration.book))")
        }
        self.scorers = scorers
        let admission = self.admission
        metrics.queueDepth = { await admission.queued }
    }

    private static func buildError(_ name: String, _ book: RecipeBook) -> String {
        do {
            _ = try book.reward(named: name)
            return "unknown error"
        } catch { return "\(error)" }
    }

    /// The router with every route and middleware.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        if let token = configuration.token { router.add(middleware: BearerAuth(token: token)) }
        router.get("healthz") { _, _ in "ok\n" }
        router.get("v1/ping") { _, _ in "pong" }
        router.get("v1/recipes") { _, _ in recipesResponse() }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: await metrics.render())))
        }
        router.post("v1/score") { request, _ in await guarded(request, score) }
        router.post("get_reward") { request, _ in await guarded(request, openRLHF) }
        router.post("run_code") { request, _ in await guarded(request, runCode) }
        return router
    }

    /// The application, bound as configured; `runService()` serves until SIGTERM/SIGINT, then finishes the
    /// requests in flight before exiting.
    public func application() -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "arbiter"))
    }

    // MARK: - Request handling

    /// Reads and parses the body, takes a slot (or answers 429), and runs `work` under the deadline.
    func guarded(_ request: Request, _ work: @escaping @Sendable (JSON) async throws(ServiceError) -> Response) async -> Response {
        let json: JSON
        do {
            let body = try await request.body.collect(upTo: configuration.maxBodyBytes)
            json = try JSONParser.parse(String(buffer: body))
        } catch let e as JSONParseError {
            return ServiceError.badJSON(e).response
        } catch let e as any HTTPResponseError where e.status == .contentTooLarge {
            return ServiceError(.contentTooLarge, "request body is larger than \(configuration.maxBodyBytes) bytes").response
        } catch {
            return ServiceError(.badRequest, "cannot read the request body: \(error)").response
        }
        guard await admission.enter() else {
            metrics.recordRejection()
            var e = ServiceError(.tooManyRequests, "busy: \(configuration.concurrency) requests running and \(configuration.queueLimit) waiting")
            e.headers[.retryAfter] = "1"
            return e.response
        }
        let admission = self.admission
        let timeout = configuration.requestTimeout
        return await withDeadline(
            seconds: timeout,
            onTimeout: { ServiceError(.serviceUnavailable, "deadline of \(timeout) s passed before the answer was ready").response },
            finished: { await admission.leave() },
            {
                do throws(ServiceError) { return try await work(json) } catch { return error.response }
            })
    }

    func recipesResponse() -> Response {
        let book = configuration.book
        let list = book.names.map { name -> JSON in
            var o = book.recipes[name]!.json.objectValue!
            o["available"] = .bool(scorers[name] != nil)
            return .object(o)
        }
        let terms = book.registry.names.map { JSON.object(JSONObject([("name", .string($0)), ("summary", .string(book.registry.entry($0)!.summary))])) }
        return JSONResponse.make(.object(JSONObject([
            ("default", .string(configuration.defaultRecipe)), ("recipes", .array(list)), ("terms", .array(terms)),
        ])))
    }
}
