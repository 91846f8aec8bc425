import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Sent down a connection's pipeline by a fault that holds its request unanswered: the guard
/// then closes the connection as soon as the client leaves or the server shuts down.
struct HoldingRequest: Sendable {}

/// The request body was abandoned by the connection guard (it took too long): raised into the
/// body the application reads, so that it never handles a request cut short.
struct RequestBodyTimedOut: HTTPResponseError {
    var status: HTTPResponse.Status { .requestTimeout }
    func response(from request: Request, context: some RequestContext) throws -> Response { Response(status: status) }
}

/// Bounds one HTTP/1 connection, between the request decoder and Hummingbird: the header,
/// body and idle timeouts, a 400 for a malformed request and a 501 for a transfer coding other
/// than chunked (answered here, whatever route the request was for), the close after a reply
/// to HTTP/1.0 without keep-alive, and the end of a held request when its client leaves or the
/// server shuts down. It also tells `limiter` whether the connection may be closed to make room.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let limits: TransportLimits
    private let limiter: ConnectionLimiter
    private var state = ConnectionState()
    /// The timer that runs, and when it runs out.
    private var running: (timer: ConnectionState.Timer, deadline: NIODeadline)?
    /// The task that checks `running`: at most one, never later than its deadline (a timer
    /// restarted later leaves it in place, and it looks again when it fires: one task per
    /// timeout rather than per request).
    private var check: (task: Scheduled<Void>, at: NIODeadline)?
    private var context: ChannelHandlerContext?
    /// Each unanswered request's HTTP version and whether its reply is followed by a close
    /// (HTTP/1.0 without keep-alive, `Connection: close`).
    private var pending: [(version: HTTPVersion, close: Bool)] = []
    private var registered = false

    init(limits: TransportLimits, limiter: ConnectionLimiter) {
        self.limits = limits
        self.limiter = limiter
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        registered = true
        guard limiter.opened(context.channel) else {
            // Every connection has a request in progress: this one is refused.
            context.close(promise: nil)
            return
        }
        perform(state.opened(), context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stopTimer()
        unregister(context)
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stopTimer()
        unregister(context)
        context.fireChannelInactive()
    }

    /// Called by `RequestStartWatcher` for every read, before decoding.
    func bytesArrived() {
        guard let context else { return }
        perform(state.bytesArrived(), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !state.finished else { return }
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            let codings = head.headers["transfer-encoding"].flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            let action = state.headReceived(transferCodings: codings)
            perform(action, context: context)
            if case .answer = action { return }
            pending.append((head.version, !head.isKeepAlive))
            limiter.setIdle(context.channel, false)
        case .body:
            break
        case .end:
            perform(state.endReceived(), context: context)
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let parse = error as? HTTPParserError {
            perform(state.malformed("the request is malformed (\(Self.describe(parse)))"), context: context)
        }
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            perform(state.shuttingDown(), context: context)
        } else if (event as? ChannelEvent) == .inputClosed {
            perform(state.clientLeft(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is HoldingRequest else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        state.holdBegan()
        promise?.succeed()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // The guard answered already: the application's reply has nowhere to go.
        guard !state.finished else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            state.replyBegan()
            guard let request = pending.first, request.close else { break }
            head.headers.replaceOrAdd(name: "connection", value: "close")
            // An HTTP/1.0 client gets an HTTP/1.0 reply: never chunked, its end is the connection's.
            if request.version == .http1_0 { head.version = .http1_0 }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
            return
        case .body:
            break
        case .end:
            let close = pending.isEmpty ? false : pending.removeFirst().close
            let action = state.replyEnded()
            if close {
                // HTTP/1.0 without keep-alive: the client reads the reply to the end of the connection.
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.assumeIsolated().whenComplete { result in
                    context.close(promise: nil)
                    promise?.completeWith(result)
                }
                context.writeAndFlush(data, promise: written)
                return
            }
            perform(action, context: context)
            limiter.setIdle(context.channel, state.isIdle)
        }
        context.write(data, promise: promise)
    }

    // MARK: - Actions

    private func perform(_ action: ConnectionState.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .start(let timer):
            schedule(timer, context: context)
        case .stopTimer:
            running = nil
        case .answer(let status, let reason):
            stopTimer()
            answer(status: status, reason: reason, context: context)
        case .close:
            stopTimer()
            if state.readingBody { context.fireErrorCaught(RequestBodyTimedOut()) }
            context.close(promise: nil)
        }
    }

    private func schedule(_ timer: ConnectionState.Timer, context: ChannelHandlerContext) {
        let after: Duration
        switch timer {
        case .header: after = limits.headerTimeout
        case .body: after = limits.bodyTimeout
        case .idle: after = limits.idleTimeout
        }
        let deadline = NIODeadline.now() + .nanoseconds(after.components.seconds * 1_000_000_000 + after.components.attoseconds / 1_000_000_000)
        running = (timer, deadline)
        if let check, check.at <= deadline { return }
        checkTimer(at: deadline, context: context)
    }

    private func checkTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        check?.task.cancel()
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            check = nil
            guard let running, let context = self.context else { return }
            if running.deadline > .now() {
                checkTimer(at: running.deadline, context: context)
            } else {
                self.running = nil
                perform(state.timedOut(running.timer), context: context)
            }
        }
        check = (task, deadline)
    }

    private func stopTimer() {
        running = nil
        check?.task.cancel()
        check = nil
    }

    /// Writes a short text reply with `status`, then closes; the request (if the application
    /// is reading it) fails, so that it is never handled cut short.
    private func answer(status: Int, reason: String, context: ChannelHandlerContext) {
        // Before the reply: once it is written the connection closes, and a body that merely ended would read as complete.
        if status == 408, state.readingBody { context.fireErrorCaught(RequestBodyTimedOut()) }
        let body = context.channel.allocator.buffer(string: reason + "\n")
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
    }

    private func unregister(_ context: ChannelHandlerContext) {
        guard registered else { return }
        registered = false
        limiter.closed(context.channel)
    }

    /// `invalid chunk size` for `.invalidChunkSize`.
    static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .invalidChunkSize: "invalid chunk size"
        case .invalidEOFState: "the connection ended before the request did"
        case .invalidContentLength: "invalid Content-Length"
        case .unexpectedContentLength: "unexpected Content-Length"
        case .invalidHeaderToken: "invalid header"
        case .invalidMethod: "invalid method"
        case .invalidURL: "invalid URL"
        case .invalidVersion: "invalid HTTP version"
        case .headerOverflow: "the headers are too large"
        default: "\(error)"
        }
    }
}

/// Tells the connection guard of every read before the request decoder sees it: the first
/// bytes of a kept-alive connection's next request start its header timeout.
final class RequestStartWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let connection: ConnectionGuard

    init(_ connection: ConnectionGuard) { self.connection = connection }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        connection.bytesArrived()
        context.fireChannelRead(data)
    }
}
