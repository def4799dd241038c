import Foundation
import Sandbox
import Testing

/// Loopback is up in the box's own network namespace: a program serves on 127.0.0.1 (and ::1) and connects to
/// itself, while the host's loopback services stay out of reach.
@Suite struct LoopbackTests {
    static let selfServe = """
        import socket, threading
        def serve(family, host):
            srv = socket.socket(family, socket.SOCK_STREAM)
            srv.bind((host, 0))
            srv.listen()
            port = srv.getsockname()[1]
            def answer():
                conn, _ = srv.accept()
                conn.sendall(conn.recv(100).upper())
                conn.close()
            t = threading.Thread(target=answer)
            t.start()
            c = socket.create_connection((host, port), timeout=5)
            c.sendall(b'ping')
            reply = c.recv(100)
            c.close()
            t.join()
            return reply.decode()
        print(serve(socket.AF_INET, '127.0.0.1'))
        try:
            print(serve(socket.AF_INET6, '::1'))
        except OSError as e:
            print('no IPv6', e)
        """

    @Test(arguments: [true, false])
    func aProgramServesItselfOnLoopback(warm: Bool) async throws {
        var profile = try Repo.profile("python")
        if !warm { profile.zygote = nil }
        let result = try await Sandbox().run(source: Self.selfServe, profile: profile)
        #expect(result.verdict == .ok, "\(result.run?.stderrText ?? "")")
        let lines = (result.run?.stdoutText ?? "").split(separator: "\n")
        #expect(lines.first == "PING", "\(lines)")
    }

    /// A TCP listener of the host on 127.0.0.1 (this test process): the box's 127.0.0.1 is its own.
    @Test func hostLoopbackServicesStayUnreachable() async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && listen(fd, 4) == 0
                    && getsockname(fd, $0, &len) == 0
            }
        }
        #expect(bound)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let source = """
            import socket
            try:
                socket.create_connection(('127.0.0.1', \(port)), timeout=3)
                print('REACHED')
            except OSError as e:
                print('refused', type(e).__name__)
            """
        let result = try await runProgram("python", source)
        #expect(result.run?.stdoutText.hasPrefix("refused") == true, "\(result.run?.stdoutText ?? "")")
    }
}
