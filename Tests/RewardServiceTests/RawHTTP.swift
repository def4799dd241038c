import Foundation
import HummingbirdTesting
import RewardKit

/// A blocking HTTP/1.1 connection on loopback, byte for byte: for what a client library hides (closing mid-request,
/// sending headers without the body, chunked bodies).
final class RawHTTP: @unchecked Sendable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            close(fd)
            throw RawHTTPError("connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes {
                Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw RawHTTPError("send failed: errno \(errno)") }
            sent += n
        }
    }

    /// A POST request's head (and the body, when given).
    func post(_ path: String, body: String?, headers: [String: String] = [:], contentLength: Int? = nil) throws {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        if let length = contentLength ?? body.map({ $0.utf8.count }) { head += "Content-Length: \(length)\r\n" }
        try send(head + "\r\n" + (body ?? ""))
    }

    /// Reads until the response head and a body of its Content-Length have arrived, or `timeout` seconds pass.
    /// Waits on a thread of its own: blocking a thread of Swift's cooperative pool (two on a 2-core machine) would
    /// starve the in-process server's handlers.
    func response(timeout: Double = 30) async throws -> (status: Int, head: String, body: String) {
        try await withCheckedThrowingContinuation { c in
            Thread { c.resume(with: Result { try self.blockingResponse(timeout: timeout) }) }.start()
        }
    }

    private func blockingResponse(timeout: Double) throws -> (status: Int, head: String, body: String) {
        var data: [UInt8] = []
        let end = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < end {
            if let parsed = Self.parse(data) { return parsed }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 100) >= 0 else { break }
            if p.revents == 0 { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data += buffer[0..<n]
        }
        if let parsed = Self.parse(data) { return parsed }
        throw RawHTTPError("no complete response; got \(String(decoding: data, as: UTF8.self).prefix(200))")
    }

    static func parse(_ data: [UInt8]) -> (Int, String, String)? {
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let head = String(text[..<split.lowerBound])
        let body = String(text[split.upperBound...])
        let length =
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        guard body.utf8.count >= length, let status = Int(head.split(separator: " ").dropFirst().first ?? "") else {
            return nil
        }
        return (status, head, body)
    }
}

struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Waits until `condition` holds, polling every 10 ms, for at most `seconds` and at least 200 polls; true when it
/// held.
///
/// The poll count is there for a starved cooperative pool (other tests blocking its threads): a wait of wall time
/// alone can run out while neither this loop nor the work it waits for got a thread; 200 polls give the work 200
/// turns of the pool.
func eventually(within seconds: Double, _ condition: () async -> Bool) async -> Bool {
    let end = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    var polls = 0
    while ContinuousClock.now < end || polls < 200 {
        if await condition() { return true }
        polls += 1
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return await condition()
}

/// A response's JSON object, or an empty object when it is not one (so that an expectation on it fails).
func parsed(_ r: TestResponse) -> JSONObject {
    (try? json(r.body)) ?? JSONObject()
}
