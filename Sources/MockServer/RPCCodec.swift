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
            let out: Data
            do {
                out = Data(try buffer.decompress(with: .gzip(), maxSize: maxDecompressed).readableBytesView)
            } catch {
                throw RPCStatus(code: .invalidArgument, message: "the gzip body does not decompress (at most \(maxDecompressed) bytes): \(error)")
            }
            // The inflater hands back what it got from a stream cut short or corrupt: only gzip's
            // trailer (CRC-32 and length of the whole) tells a complete body.
            guard GzipTrailer.matches(out, compressed: body) else {
                throw RPCStatus(code: .invalidArgument, message: "the gzip body is truncated or corrupt (its CRC-32 or length does not match)")
            }
            return out
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

/// gzip's trailer: the CRC-32 and the length (mod 2^32) of the uncompressed data, little-endian, last.
enum GzipTrailer {
    static func matches(_ uncompressed: Data, compressed: Data) -> Bool {
        guard compressed.count >= 18 else { return false }
        let trailer = [UInt8](compressed.suffix(8))
        func word(_ offset: Int) -> UInt32 {
            UInt32(trailer[offset]) | UInt32(trailer[offset + 1]) << 8 | UInt32(trailer[offset + 2]) << 16 | UInt32(trailer[offset + 3]) << 24
        }
        return word(0) == crc32(uncompressed) && word(4) == UInt32(truncatingIfNeeded: uncompressed.count)
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
