import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RewardKit

/// The path of every POST: body size from `Content-Length`, the deadline, a slot, the body read and parsed inside
/// the slot and the deadline, then the route's work — each step cancelled when the client closes its connection.
struct Guard: Sendable {
    let server: RewardServer
    let admission: Admission
    /// The route reads a `timeout` field (seconds) from its body object (`/v1/score`).
    let timeoutField: Bool
    let work: @Sendable (JSON) async throws(ServiceError) -> Response

    /// Header asking for a shorter deadline than `--timeout`, in seconds.
    static let timeoutHeader = HTTPField.Name("X-Request-Timeout")!
    /// Status for a request whose client went away (nginx's 499); nobody reads it, metrics count it.
    static let clientClosed = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")

    var configuration: ServiceConfiguration { server.configuration }

    /// Answers `request`; when its connection's client goes (`watch`), the answer's task is cancelled by the
    /// connection's event loop right away.
    func respond(to request: Request, watch: ClientWatch?) async -> Response {
        guard let watch else { return await respond(to: request) }
        let task = Task { await respond(to: request) }
        let token = watch.onGone { task.cancel() }
        defer { watch.remove(token) }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    func respond(to request: Request) async -> Response {
        let arrival = ContinuousClock.now
        let limit = configuration.maxBodyBytes
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limit {
            // Refused before a byte of the body is read.
            var e = ServiceError(
                .contentTooLarge,
                "request body of \(length) bytes (Content-Length) is larger than "
                    + "the limit of \(limit) bytes")
            e.headers[.connection] = "close"
            return e.response
        }
        let seconds: Double
        do throws(ServiceError) { seconds = try timeout(request.headers) } catch { return error.response }
        let deadline = arrival + .seconds(seconds)
        var response: Response
        do {
            response = try await request.body.consumeWithCancellationOnInboundClose { body in
                try await admitted(body, deadline: deadline, seconds: seconds, arrival: arrival)
            }
        } catch {
            server.metrics.recordCancelled()
            response = ServiceError(Self.clientClosed, "the client closed the connection").response
        }
        // Watching for the client's close consumes the connection's input: it is closed after this answer, and the
        // client is told so (keep-alive clients open a new connection instead of racing the close).
        response.headers[.connection] = "close"
        return response
    }

    /// The request's deadline in seconds from arrival: `--timeout`, or less when the header asks for less.
    func timeout(_ headers: HTTPFields) throws(ServiceError) -> Double {
        guard let text = headers[Self.timeoutHeader] else { return configuration.requestTimeout }
        guard let asked = Double(text.trimmingCharacters(in: .whitespaces)), asked > 0, asked.isFinite else {
            throw .badRequest("header \(Self.timeoutHeader): expected a positive number of seconds, got \"\(text)\"")
        }
        return min(asked, configuration.requestTimeout)
    }

    private func admitted(
        _ body: RequestBody, deadline: ContinuousClock.Instant, seconds: Double,
        arrival: ContinuousClock.Instant
    ) async throws -> Response {
        let admission = self.admission
        switch await admission.enter(deadline: deadline) {
        case .admitted: break
        case .queueFull(let wait):
            server.metrics.recordRejection()
            return busy("busy: \(admission.concurrency) requests running and \(admission.queueLimit) waiting", wait)
        case .tooLate(let wait):
            server.metrics.recordRejection()
            return busy(
                "cannot start before its deadline of \(seconds) s: about \(Self.format(wait)) s of work is "
                    + "ahead of it on \(admission.concurrency) slots", wait)
        case .expired(let wait):
            server.metrics.recordRejection()
            return busy(
                "deadline of \(seconds) s passed while it waited for one of \(admission.concurrency) slots",
                wait)
        case .cancelled:
            throw CancellationError()
        }
        let start = ContinuousClock.now
        let response = await withDeadline(
            deadline, interrupted: { Self.interrupted($0, seconds) },
            finished: { admission.leave(held: start.duration(to: .now).seconds) },
            { await self.run(body, arrival: arrival, deadline: deadline) })
        try Task.checkCancellation()
        return response
    }

    /// Reads and parses the body within the limits, then runs the work (under the body's `timeout`, if any).
    private func run(_ body: RequestBody, arrival: ContinuousClock.Instant, deadline: ContinuousClock.Instant) async
        -> Response
    {
        do throws(ServiceError) {
            let json = try await read(body)
            guard timeoutField, case .object(var o) = json, let field = o["timeout"] else {
                return try await work(json)
            }
            guard let asked = field.doubleValue, asked > 0, asked.isFinite else {
                throw .badRequest("field \"timeout\": expected a positive number of seconds, got \(field.jsonText)")
            }
            o["timeout"] = nil
            let rest = JSON.object(o)
            let work = self.work
            let own = min(deadline, arrival + .seconds(asked))
            let answer: @Sendable () async -> Response = {
                do throws(ServiceError) { return try await work(rest) } catch { return error.response }
            }
            return await withDeadline(own, interrupted: { Self.interrupted($0, asked) }, finished: {}, answer)
        } catch {
            return error.response
        }
    }

    /// The body, read up to the size limit (a chunked body is cut there) and parsed within the JSON limits.
    func read(_ body: RequestBody) async throws(ServiceError) -> JSON {
        let limit = configuration.maxBodyBytes
        var buffer = ByteBuffer()
        do {
            for try await part in body {
                guard buffer.readableBytes + part.readableBytes <= limit else {
                    var e = ServiceError(.contentTooLarge, "request body is larger than the limit of \(limit) bytes")
                    e.headers[.connection] = "close"
                    throw e
                }
                buffer.writeImmutableBuffer(part)
            }
        } catch let e as ServiceError {
            throw e
        } catch {
            throw ServiceError(.badRequest, "cannot read the request body: \(error)")
        }
        let limits = JSONParser.Limits(maxDepth: configuration.maxJSONDepth, maxMembers: configuration.maxJSONMembers)
        do {
            return try buffer.withUnsafeReadableBytes { raw throws(JSONParseError) in
                try JSONParser.parse(bytes: raw.assumingMemoryBound(to: UInt8.self), limits: limits)
            }
        } catch {
            switch error.exceededLimit {
            case .members?:
                throw ServiceError(.contentTooLarge, "JSON body: \(error) (limit: \(limits.maxMembers) members)")
            case .depth?:
                throw ServiceError(.badRequest, "JSON body: \(error) (limit: depth \(limits.maxDepth))")
            case nil:
                throw ServiceError.badJSON(error)
            }
        }
    }

    private func busy(_ message: String, _ wait: Double) -> Response {
        var e = ServiceError(.tooManyRequests, message)
        e.headers[.retryAfter] = String(max(1, Int(wait.rounded(.up))))
        return e.response
    }

    static func interrupted(_ reason: Interruption, _ seconds: Double) -> Response {
        switch reason {
        case .deadline:
            ServiceError(.serviceUnavailable, "deadline of \(seconds) s passed before the answer was ready").response
        case .cancelled:
            ServiceError(clientClosed, "the client closed the connection").response
        }
    }

    static func format(_ s: Double) -> String { String(Double(Int(s * 10)) / 10) }
}
