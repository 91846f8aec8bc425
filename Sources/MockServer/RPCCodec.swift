import CheckoutCore
import CheckoutProto
import CompressNIO
import Foundation
import NIOCore
import SwiftProtobuf

/// Turns wire bodies into the backend's protobuf bytes and back, for one method.
struct RPCCodec {
    let requestType: any SwiftProtobuf.Message.Type
    /// The backend's reply bytes as proto3 JSON (`ProtoJSON`'s overload for the type); `nil` when they do not decode.
    private let responseJSON: @Sendable (Data) -> Data?

    init(_ method: RPCMethod) {
        switch method {
        case .validateOrderItemsInsert:
            requestType = Checkout_V1_ValidateOrderItemsInsertRequest.self
            responseJSON = Self.json(Checkout_V1_ValidateOrderItemsInsertResponse.self, ProtoJSON.string)
        case .confirmPayment:
            requestType = Checkout_V1_ConfirmPaymentRequest.self
            responseJSON = Self.json(Checkout_V1_ConfirmPaymentResponse.self, ProtoJSON.string)
        case .completeRedirect:
            requestType = Checkout_V1_CompleteRedirectRequest.self
            responseJSON = Self.json(Checkout_V1_CompleteRedirectResponse.self, ProtoJSON.string)
        }
    }

    private static func json<M: SwiftProtobuf.Message>(_ type: M.Type, _ render: @escaping @Sendable (M) -> String) -> @Sendable (Data) -> Data? {
        { bytes in
            (try? M(serializedBytes: bytes, extensions: nil, partial: true, options: BinaryDecodingOptions())).map { Data(render($0).utf8) }
        }
    }

    /// The request as protobuf bytes; an `invalid_argument` when it does not decode.
    func requestBytes(_ body: Data, json: Bool) throws(RPCStatus) -> Data {
        do {
            if json {
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                return try requestType.init(jsonUTF8Data: body.isEmpty ? Data("{}".utf8) : body, options: options).serializedData()
            }
            // Unknown fields are kept by protobuf decoding and ignored by the backend.
            return try requestType.init(serializedBytes: body, extensions: nil, partial: false, options: BinaryDecodingOptions())
                .serializedData()
        } catch {
            throw RPCStatus(code: .invalidArgument, message: "the request body is not a \(requestType.protoMessageName) (\(json ? "JSON" : "protobuf")): \(error)")
        }
    }

    /// The reply body for the wire; `nil` when the backend's bytes do not decode (a garbled reply in JSON).
    func responseBody(_ bytes: Data, json: Bool) -> Data? {
        guard json else { return bytes }
        return responseJSON(bytes)
    }
}

/// Request and message compression (Connect clients gzip by default).
enum WireCompression {
    /// At most this many bytes once decompressed, so a zip bomb stays small.
    static let maxDecompressed = 4 * 1024 * 1024

    /// The body decoded by `encoding` (`gzip` or `identity`).
    static func decode(_ body: Data, encoding: String?) throws(RPCStatus) -> Data {
        switch encoding?.lowercased() {
        case nil, "", "identity": return body
        case "gzip":
            var buffer = ByteBuffer(bytes: body)
            do {
                let out = try buffer.decompress(with: .gzip(), maxSize: maxDecompressed)
                return Data(out.readableBytesView)
            } catch {
                throw RPCStatus(code: .invalidArgument, message: "the gzip body does not decompress (at most \(maxDecompressed) bytes): \(error)")
            }
        case let other?:
            throw RPCStatus(code: .unimplemented, message: "unsupported compression \"\(UntrustedText.escaped(other, limit: 40))\": gzip and identity are supported")
        }
    }

    /// `body` gzipped (for tests and clients that want it).
    static func gzip(_ body: Data) -> Data {
        var buffer = ByteBuffer(bytes: body)
        guard let out = try? buffer.compress(with: .gzip()) else { return body }
        return Data(out.readableBytesView)
    }
}
