import CheckoutCore
import CheckoutProto
import CompressNIO
import Foundation
import MockBackend
import NIOCore
import SwiftProtobuf

/// Turns wire bodies into the backend's requests and its replies back into bodies, for one method.
struct RPCCodec {
    let method: RPCMethod
    /// The backend's reply bytes as proto3 JSON (`ProtoJSON`'s overload for the type); `nil` when they do not decode.
    private let responseJSON: @Sendable (Data) -> Data?

    init(_ method: RPCMethod) {
        self.method = method
        switch method {
        case .validateOrderItemsInsert: responseJSON = Self.json(Checkout_V1_ValidateOrderItemsInsertResponse.self, ProtoJSON.string)
        case .confirmPayment: responseJSON = Self.json(Checkout_V1_ConfirmPaymentResponse.self, ProtoJSON.string)
        case .completeRedirect: responseJSON = Self.json(Checkout_V1_CompleteRedirectResponse.self, ProtoJSON.string)
        }
    }

    private static func json<M: SwiftProtobuf.Message>(_ type: M.Type, _ render: @escaping @Sendable (M) -> String) -> @Sendable (Data) -> Data? {
        { bytes in
            (try? M(serializedBytes: bytes, extensions: nil, partial: true, options: BinaryDecodingOptions())).map { Data(render($0).utf8) }
        }
    }

    /// The request, decoded once for the backend; an `invalid_argument` when it does not decode.
    func request(_ body: Data, json: Bool) throws(RPCStatus) -> BackendRequest {
        switch method {
        case .validateOrderItemsInsert: .validation(try Self.decode(body, json: json))
        case .confirmPayment: .payment(try Self.decode(body, json: json))
        case .completeRedirect: .redirect(try Self.decode(body, json: json))
        }
    }

    private static func decode<M: SwiftProtobuf.Message>(_ body: Data, json: Bool) throws(RPCStatus) -> M {
        do {
            if json {
                var options = JSONDecodingOptions()
                options.ignoreUnknownFields = true
                return try M(jsonUTF8Data: body.isEmpty ? Data("{}".utf8) : body, options: options)
            }
            // Unknown fields are kept by protobuf decoding and ignored by the backend.
            return try M(serializedBytes: body, extensions: nil, partial: false, options: BinaryDecodingOptions())
        } catch {
            throw RPCStatus(code: .invalidArgument, message: "the request body is not a \(M.protoMessageName) (\(json ? "JSON" : "protobuf")): \(error)")
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
