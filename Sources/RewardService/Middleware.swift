import Foundation
import Hummingbird

/// Bearer-token check on every route but `/healthz` (401 with a JSON error otherwise).
struct BearerAuth<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        guard let header = request.headers[.authorization], header == "Bearer \(token)" else {
            var e = ServiceError(.unauthorized, "missing or wrong bearer token (Authorization: Bearer …)")
            e.headers[.wwwAuthenticate] = "Bearer"
            return e.response
        }
        return try await next(request, context)
    }
}

/// Counts every answer by route and status, with its latency.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics
    static var routes: Set<String> {
        ["/v1/score", "/run_code", "/get_reward", "/v1/recipes", "/v1/ping", "/healthz", "/metrics"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = Date()
        let route = Self.routes.contains(request.uri.path) ? request.uri.path : "other"
        metrics.inFlight(1)
        defer { metrics.inFlight(-1) }
        do {
            let response = try await next(request, context)
            metrics.record(route: route, status: Int(response.status.code), seconds: Date().timeIntervalSince(start))
            return response
        } catch let e as HTTPError {
            metrics.record(route: route, status: Int(e.status.code), seconds: Date().timeIntervalSince(start))
            throw e
        } catch {
            metrics.record(route: route, status: 500, seconds: Date().timeIntervalSince(start))
            throw error
        }
    }
}
