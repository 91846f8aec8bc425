import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
import NIOCore
import NIOHTTP1

/// Why no reply was written: the connection was closed or reset on purpose (a fault).
struct ConnectionClosedOnPurpose: Error {
    var fault: RuleKind
    var journal: Int64
}

/// Serves the three RPCs: decode, call the one backend, then play the wire's
/// fault (latency, a held request, a lost reply, a corrupted body, a reset).
struct RPCHandler: Sendable {
    let host: BackendHost

    /// A request held without a deadline is closed after this long (the simulated client's timeout).
    static let defaultHoldMillis = MockBackend.clientTimeoutMillis

    func handle(_ request: Request, context: ServerContext, methodName: String) async throws -> Response {
        let contentType = request.headers.value(.contentType)
        let format = WireFormat(contentType: contentType)
        guard let method = RPCMethod(shortName: methodName) else {
            let status = RPCStatus(code: .unimplemented, message: "checkout.v1.CheckoutService has no method \"\(UntrustedText.escaped(methodName, limit: 80))\"")
            return WireReply.error(status, format: format ?? .connectJSON, httpStatus: 404)
        }
        guard let format else {
            return WireReply.unsupportedMediaType(contentType)
        }
        if !format.isGRPCWeb, let version = request.headers.value(Self.connectProtocolVersion), version != ConnectRules.protocolVersion {
            return WireReply.error(RPCStatus(code: .invalidArgument, message: "Connect-Protocol-Version must be 1, not \"\(UntrustedText.escaped(version, limit: 40))\""),
                                   format: format)
        }
        let deadline: Int64?
        if format.isGRPCWeb {
            deadline = ConnectRules.grpcTimeoutMillis(request.headers.value(Self.grpcTimeout))
        } else {
            switch ConnectRules.timeoutMillis(request.headers.value(Self.connectTimeout)) {
            case .success(let millis): deadline = millis
            case .failure(let status): return WireReply.error(status, format: format)
            }
        }
        let codec = RPCCodec(method)
        let backendRequest: BackendRequest
        let bodySize: Int
        do {
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            bodySize = body.readableBytes
            backendRequest = try codec.request(try messageBytes(Data(body.readableBytesView), request: request, format: format), json: format.isJSON)
        } catch let status as RPCStatus {
            return WireReply.error(status, format: format)
        } catch is NIOTooManyBytesError {
            return WireReply.error(RPCStatus(code: .resourceExhausted, message: "the request body is larger than \(context.maxUploadSize) bytes"),
                                   format: format, httpStatus: 413)
        } catch let error as HTTPParserError {
            // The connection guard has answered 400 already and closes the connection; this reply is for the log.
            return WireReply.error(RPCStatus(code: .invalidArgument, message: "the request is malformed (\(ConnectionGuard.describe(error)))"),
                                   format: format, httpStatus: 400)
        }
        let arrival = Arrival(peer: context.peer, userAgent: request.headers.value(.userAgent) ?? "", path: request.uri.path,
                              format: format, bodyBytes: bodySize, client: context.client, deadlineMillis: deadline)
        let (delivery, journal) = await host.call(backendRequest, arrival: arrival)
        return try await play(delivery, journal: journal, deadline: deadline, format: format, codec: codec, context: context)
    }

    /// The message of the body: gRPC-Web's one frame, decompressed as its headers say.
    private func messageBytes(_ body: Data, request: Request, format: WireFormat) throws(RPCStatus) -> Data {
        // HTTP's Content-Encoding covers the whole body, in every format (a proxy or a browser may add it).
        let body = try WireCompression.decode(body, encoding: request.headers.value(.contentEncoding))
        guard format.isGRPCWeb else { return body }
        var frames = body
        if format.isText {
            guard let decoded = GRPCWebFrames.decodeText(body) else {
                throw RPCStatus(code: .invalidArgument, message: "a grpc-web-text body is base64")
            }
            frames = decoded
        }
        guard let frame = GRPCWebFrames.singleMessage(frames) else {
            throw RPCStatus(code: .invalidArgument, message: "a gRPC-Web unary request is exactly one message frame")
        }
        return frame.compressed ? try WireCompression.decode(frame.payload, encoding: request.headers.value(Self.grpcEncoding) ?? "gzip") : frame.payload
    }

    /// Waits as the rules say, then replies, or closes the connection instead.
    private func play(_ delivery: BackendDelivery, journal: Int64, deadline: Int64?, format: WireFormat, codec: RPCCodec,
                      context: ServerContext) async throws -> Response {
        switch delivery.wireFault {
        case .timeout?, .dropResponse?:
            // Held unanswered until the client gives up, then the connection closes.
            await hold(context.channel, millis: deadline ?? Self.defaultHoldMillis)
            try await close(context.channel, reset: false)
            throw ConnectionClosedOnPurpose(fault: delivery.wireFault!, journal: journal)
        case .connectionReset?:
            if delivery.delayMillis > 0 { try await Task.sleep(for: .milliseconds(delivery.delayMillis)) }
            try await close(context.channel, reset: true)
            throw ConnectionClosedOnPurpose(fault: .connectionReset, journal: journal)
        default:
            break
        }
        if delivery.delayMillis > 0 {
            if let deadline, deadline < delivery.delayMillis {
                try await Task.sleep(for: .milliseconds(deadline))
                return WireReply.error(RPCStatus(code: .deadlineExceeded, message: "the reply takes \(delivery.delayMillis) ms (latency rule); the deadline was \(deadline) ms"),
                                       format: format).tagged(delivery, journal)
            }
            try await Task.sleep(for: .milliseconds(delivery.delayMillis))
        }
        switch delivery.reply {
        case .response(let bytes):
            if delivery.wireFault == .garbleResponse {
                return WireReply.garbled(bytes, intact: delivery.intact, format: format, codec: codec).tagged(delivery, journal)
            }
            // The JSON the journal holds is the reply's (the same encoder, the same options): not built twice.
            if format.isJSON, let json = delivery.replyJSON {
                return WireReply.success(json: json, format: format).tagged(delivery, journal)
            }
            guard let body = codec.responseBody(bytes, json: format.isJSON) else {
                return WireReply.error(RPCStatus(code: .internal, message: "the backend's reply does not encode"), format: format)
            }
            return WireReply.success(body, format: format).tagged(delivery, journal)
        case .failure(let status):
            return WireReply.error(status, format: format).tagged(delivery, journal)
        case .timeout:
            try await close(context.channel, reset: false)
            throw ConnectionClosedOnPurpose(fault: .timeout, journal: journal)
        }
    }

    /// Waits `millis`, or less if the connection closes first: the connection guard closes a held
    /// connection when its client leaves or the server shuts down, and a cancelled task (the TUI
    /// stopping the server) ends the wait too.
    private func hold(_ channel: any Channel, millis: Int64) async {
        channel.triggerUserOutboundEvent(HoldingRequest(), promise: nil)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .milliseconds(millis)) }
            group.addTask { try? await channel.closeFuture.get() }
            await group.next()
            group.cancelAll()
            // Ends the other wait if it was the deadline (the close that follows is then a no-op).
            try? await channel.close(mode: .all)
        }
    }

    /// Closes the connection; `reset` sends a TCP RST (SO_LINGER 0) instead of a FIN.
    private func close(_ channel: any Channel, reset: Bool) async throws {
        if reset, let provider = channel as? SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close(mode: .all)
    }

    static let connectProtocolVersion = HTTPField.Name("Connect-Protocol-Version")!
    static let connectTimeout = HTTPField.Name("Connect-Timeout-Ms")!
    static let grpcTimeout = HTTPField.Name("Grpc-Timeout")!
    static let grpcEncoding = HTTPField.Name("Grpc-Encoding")!
}
