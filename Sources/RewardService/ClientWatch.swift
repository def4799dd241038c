import Hummingbird
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Whether a connection's client is still there, told by the connection's event loop the moment its input closes.
///
/// Hummingbird learns of a client's close through tasks on Swift's cooperative pool (the request body's stream),
/// which a busy pool delays; this watch is set by `ClientCloseHandler` on the event loop itself, and the actions
/// registered with it (cancelling a request's task, which kills its box) run right there.
final class ClientWatch: Sendable {
    private struct State {
        var gone = false
        var actions: [Int: @Sendable () -> Void] = [:]
        var nextToken = 0
    }
    private let state = Mutex(State())

    /// Runs `action` once the client is gone (at once if it is already); the token removes it.
    func onGone(_ action: @escaping @Sendable () -> Void) -> Int? {
        let token: Int? = state.withLock { s in
            guard !s.gone else { return nil }
            defer { s.nextToken += 1 }
            s.actions[s.nextToken] = action
            return s.nextToken
        }
        if token == nil { action() }
        return token
    }

    /// Forgets an action (its request has been answered).
    func remove(_ token: Int?) {
        guard let token else { return }
        _ = state.withLock { $0.actions.removeValue(forKey: token) }
    }

    /// The client closed its side of the connection (or the connection is gone): runs every action once.
    func markGone() {
        let actions = state.withLock { s in
            s.gone = true
            defer { s.actions = [:] }
            return Array(s.actions.values)
        }
        for action in actions { action() }
    }
}

/// The watches of the open connections, by connection.
final class ClientWatches: Sendable {
    private let watches = Mutex<[ObjectIdentifier: ClientWatch]>([:])

    func watch(for connection: ObjectIdentifier) -> ClientWatch? { watches.withLock { $0[connection] } }
    func add(_ watch: ClientWatch, for connection: ObjectIdentifier) { watches.withLock { $0[connection] = watch } }
    func remove(_ connection: ObjectIdentifier) { _ = watches.withLock { $0.removeValue(forKey: connection) } }
    var count: Int { watches.withLock { $0.count } }
}

/// A pass-through handler in each connection's pipeline that marks its `ClientWatch` gone when the client closes
/// its side (`ChannelEvent.inputClosed`: Hummingbird allows half-closed connections) or the connection ends.
///
/// It also ends a connection whose response says `Connection: close` once that response is written: Hummingbird
/// would otherwise go on reading (and discarding) the rest of the request body, all 128 MiB of a body refused from
/// its `Content-Length`, or stop reading a chunked body cut at the limit without closing, so that a client that
/// sends its whole body before reading the answer (Python's `requests`) waited forever. The output is closed at
/// once (the client sees the answer, then the end of the stream); the connection is closed 2 s later, so a client
/// still sending gets an error instead of blocking.
final class ClientCloseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart
    let watches: ClientWatches
    let watch = ClientWatch()
    private var closeAfterResponse = false

    init(watches: ClientWatches) { self.watches = watches }

    func handlerAdded(context: ChannelHandlerContext) {
        watches.add(watch, for: ObjectIdentifier(context.channel))
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        watches.remove(ObjectIdentifier(context.channel))
        watch.markGone()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? ChannelEvent, e == .inputClosed { watch.markGone() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        watch.markGone()
        context.fireChannelInactive()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closeAfterResponse = head.headerFields[.connection]?.lowercased() == "close"
        case .end where closeAfterResponse:
            let written = promise ?? context.eventLoop.makePromise()
            context.write(data, promise: written)
            let channel = context.channel
            written.futureResult.whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: .seconds(2)) { channel.close(promise: nil) }
            }
            return
        default:
            break
        }
        context.write(data, promise: promise)
    }
}

/// The request context of `reward serve`: Hummingbird's basic context plus the connection the request came on,
/// to find its `ClientWatch`.
public struct ServiceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Identifies the connection (its NIO channel).
    let connection: ObjectIdentifier

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        connection = ObjectIdentifier(source.channel)
    }
}
