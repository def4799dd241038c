import Hummingbird
import RewardKit

/// A request the service refuses, with the HTTP status and a message naming the problem.
public struct ServiceError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    static func badJSON(_ e: JSONParseError) -> ServiceError { .init(.badRequest, "malformed JSON: \(e)") }
    static func badRequest(_ m: String) -> ServiceError { .init(.badRequest, m) }

    /// The error as a JSON response `{"error": message}`.
    var response: Response {
        var r = JSONResponse.make(.object(JSONObject([("error", .string(message))])), status: status)
        for field in headers { r.headers.append(field) }
        return r
    }
}

enum JSONResponse {
    static func make(_ json: JSON, status: HTTPResponse.Status = .ok) -> Response {
        var bytes = JSONWriter.bytes(json)
        bytes.append(UInt8(ascii: "\n"))
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
