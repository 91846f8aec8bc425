import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend

/// The replies of the RPC endpoints, in each wire format.
enum WireReply {
    static let rulesHeader = HTTPField.Name("Checkout-Sim-Rules")!
    static let journalHeader = HTTPField.Name("Checkout-Sim-Journal")!
    static let grpcStatus = HTTPField.Name("Grpc-Status")!
    static let grpcMessage = HTTPField.Name("Grpc-Message")!

    /// A successful reply carrying `message` (protobuf or JSON, as `format` says).
    static func success(_ message: Data, format: WireFormat) -> Response {
        guard format.isGRPCWeb else { return response(200, format.contentType, message) }
        return response(200, format.contentType, frames(GRPCWebFrames.message(message) + GRPCWebFrames.trailers(nil), format))
    }

    /// gRPC-Web frames as the format sends them: as they are, or in base64 (`grpc-web-text`).
    static func frames(_ bytes: Data, _ format: WireFormat) -> Data {
        format.isText ? bytes.base64EncodedData() : bytes
    }

    /// A successful reply whose message is `json` (a JSON format's), copied once, into the body.
    static func success(json: String, format: WireFormat) -> Response {
        guard format.isGRPCWeb else {
            return Response(status: .ok, headers: [.contentType: format.contentType], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        return success(Data(json.utf8), format: format)
    }

    /// An error: Connect's `{code, message}` with its HTTP status, or gRPC-Web's trailers.
    static func error(_ status: RPCStatus, format: WireFormat, httpStatus: Int? = nil) -> Response {
        guard format.isGRPCWeb else {
            return response(httpStatus ?? status.code.httpStatus, "application/json", ConnectRules.errorBody(status))
        }
        var reply = response(200, format.contentType, frames(GRPCWebFrames.trailers(status), format))
        reply.headers[grpcStatus] = String(status.code.rawValue)
        reply.headers[grpcMessage] = GRPCWebFrames.percentEncoded(status.message)
        return reply
    }

    /// 200 with a body that does not decode: the backend's corrupted protobuf, or JSON cut short.
    static func garbled(_ bytes: Data, intact: Data?, format: WireFormat, codec: RPCCodec) -> Response {
        var body = bytes
        if format.isJSON, let intact, let json = codec.responseBody(intact, json: true) {
            body = json.prefix(json.count / 2) + Data("\u{FFFD}\"".utf8)
        }
        return success(body, format: format)
    }

    /// 415, naming what is spoken.
    static func unsupportedMediaType(_ contentType: String?) -> Response {
        let seen = contentType.map { "\"\(UntrustedText.escaped($0, limit: 80))\"" } ?? "none"
        let text = "unsupported Content-Type \(seen): send application/proto, application/json, application/grpc-web+proto, "
            + "application/grpc-web+json or application/grpc-web-text\n"
        var reply = response(415, "text/plain; charset=utf-8", Data(text.utf8))
        reply.headers[HTTPField.Name("Accept-Post")!] = "application/proto, application/json, application/grpc-web+proto, application/grpc-web+json, application/grpc-web-text"
        return reply
    }

    static func response(_ status: Int, _ contentType: String, _ body: Data) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension Response {
    /// Adds the rules that fired and the journal number, for test code and the request log.
    func tagged(_ delivery: BackendDelivery, _ journal: Int64) -> Response {
        var copy = self
        // Appended: a reply is tagged once, so neither field is there yet (a set would look first).
        if !delivery.firedRules.isEmpty {
            copy.headers.append(HTTPField(name: WireReply.rulesHeader, value: delivery.firedRules.map { UntrustedText.escaped($0, limit: 80) }.joined(separator: ", ")))
        }
        copy.headers.append(HTTPField(name: WireReply.journalHeader, value: String(journal)))
        return copy
    }
}
