import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection to `127.0.0.1:port`, for `reward bench
/// serve`.
///
/// Why not URLSession: on Linux it goes through libcurl and Foundation and cost the load generator 1.3 ms of CPU per
/// 64-sample request, as much as the server itself, on the same two cores. This client writes one request, reads
/// the status line, the headers and a `Content-Length` or chunked body, and nothing else. Not thread-safe: one
/// client per thread. A connection the server closes (or that fails) is reopened on the next request.
final class LoopbackHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    let timeoutSeconds: Int
    private var fd: Int32 = -1
    /// Bytes read past the end of the last response (none with a well-behaved server).
    private var pending: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 120) {
        self.port = port
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { close() }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
        pending = []
    }

    /// Sends `POST path` with a JSON body; the response's status and body, and `extra` when the connection carried
    /// bytes that belong to no request (a duplicated or stray response: before this request was sent, or after its
    /// response ended). Throws when the connection fails or closes before a whole response came back (a lost
    /// response).
    func post(_ path: String, body: [UInt8]) throws(Failure) -> (status: Int, body: [UInt8], extra: Bool) {
        var extra = !pending.isEmpty
        if fd >= 0 {
            var byte: UInt8 = 0
            let n = recv(fd, &byte, 1, Int32(MSG_DONTWAIT | MSG_PEEK))
            if n > 0 { extra = true }
            if n == 0 { close() }  // the server closed this idle connection: open a new one
        }
        if fd < 0 { try connect() }
        var request = Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n".utf8)
        request += "Content-Length: \(body.count)\r\n\r\n".utf8
        request += body
        do throws(Failure) {
            try send(request)
            let (status, body) = try readResponse()
            return (status, body, extra || !pending.isEmpty)
        } catch {
            close()
            throw error
        }
    }

    private func connect() throws(Failure) {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            let message = String(cString: strerror(errno))
            _ = Glibc.close(s)
            throw Failure(description: "connect to 127.0.0.1:\(port): \(message)")
        }
        fd = s
    }

    private func send(_ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
            sent += n
        }
    }

    /// Reads more bytes into `pending`; throws at end of stream or on error.
    private func fill() throws(Failure) {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n == 0 { throw Failure(description: "the server closed the connection before a whole response") }
            guard n > 0 else { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
            pending += chunk[0..<n]
            return
        }
    }

    private func readResponse() throws(Failure) -> (status: Int, body: [UInt8]) {
        let headerEnd = try readUntil(Array("\r\n\r\n".utf8))
        let head = String(decoding: pending[0..<headerEnd], as: UTF8.self)
        pending.removeFirst(headerEnd + 4)
        let lines = head.split(separator: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line \(lines.first.map(String.init) ?? "")")
        }
        var contentLength: Int?
        var chunked = false
        var closeAfter = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces).lowercased()
            switch name {
            case "content-length": contentLength = Int(value)
            case "transfer-encoding": chunked = value.contains("chunked")
            case "connection": closeAfter = value == "close"
            default: break
            }
        }
        let body: [UInt8]
        if chunked {
            body = try readChunked()
        } else {
            let n = contentLength ?? 0
            while pending.count < n { try fill() }
            body = Array(pending[0..<n])
            pending.removeFirst(n)
        }
        if closeAfter { close() }
        return (status, body)
    }

    /// The index in `pending` where `marker` starts, reading as needed.
    private func readUntil(_ marker: [UInt8]) throws(Failure) -> Int {
        var from = 0
        while true {
            if pending.count >= marker.count {
                for i in from...(pending.count - marker.count) where pending[i] == marker[0] {
                    if pending[i..<(i + marker.count)].elementsEqual(marker) { return i }
                }
                from = pending.count - marker.count + 1
            }
            try fill()
        }
    }

    private func readChunked() throws(Failure) -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let lineEnd = try readUntil(Array("\r\n".utf8))
            let sizeText = String(decoding: pending[0..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "bad chunk size \(sizeText)")
            }
            pending.removeFirst(lineEnd + 2)
            while pending.count < size + 2 { try fill() }
            body += pending[0..<size]
            pending.removeFirst(size + 2)
            if size == 0 { return body }
        }
    }
}
