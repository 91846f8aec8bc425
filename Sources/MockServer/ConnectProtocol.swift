import CheckoutCore
import Foundation

/// The wire formats `serve` speaks, and the rules of the Connect protocol that
/// do not depend on the HTTP library: content types, the status table, error
/// bodies, deadlines, gRPC-Web frames.
public enum WireFormat: String, Sendable {
    /// Connect unary with a binary protobuf body (`application/proto`).
    case connectProto = "connect+proto"
    /// Connect unary with a proto3 JSON body (`application/json`).
    case connectJSON = "connect+json"
    /// gRPC-Web, binary (`application/grpc-web+proto`).
    case grpcWebProto = "grpc-web+proto"
    /// gRPC-Web with JSON messages (`application/grpc-web+json`).
    case grpcWebJSON = "grpc-web+json"
    /// gRPC-Web's text mode (`application/grpc-web-text`, protoc-gen-grpc-web's default): the
    /// binary frames in base64, both ways.
    case grpcWebText = "grpc-web-text+proto"

    /// The format of a request's `Content-Type`, or `nil` when `serve` does not speak it (415).
    public init?(contentType: String?) {
        guard let contentType else { return nil }
        // As clients send them, without parsing.
        switch contentType {
        case "application/json": self = .connectJSON; return
        case "application/proto": self = .connectProto; return
        case "application/grpc-web+proto": self = .grpcWebProto; return
        default: break
        }
        let bare = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        switch bare {
        case "application/proto": self = .connectProto
        case "application/json": self = .connectJSON
        case "application/grpc-web", "application/grpc-web+proto": self = .grpcWebProto
        case "application/grpc-web+json": self = .grpcWebJSON
        case "application/grpc-web-text", "application/grpc-web-text+proto": self = .grpcWebText
        default: return nil
        }
    }

    public var isGRPCWeb: Bool { self == .grpcWebProto || self == .grpcWebJSON || self == .grpcWebText }
    /// Whether the body is base64 text (`grpc-web-text`).
    public var isText: Bool { self == .grpcWebText }
    public var isJSON: Bool { self == .connectJSON || self == .grpcWebJSON }

    /// The `Content-Type` of a successful reply.
    public var contentType: String {
        switch self {
        case .connectProto: "application/proto"
        case .connectJSON: "application/json"
        case .grpcWebProto: "application/grpc-web+proto"
        case .grpcWebJSON: "application/grpc-web+json"
        case .grpcWebText: "application/grpc-web-text+proto"
        }
    }
}

extension RPCCode {
    /// The HTTP status of a Connect unary error with this code (the Connect protocol's table).
    public var httpStatus: Int {
        switch self {
        case .ok: 200
        case .canceled: 499
        case .unknown: 500
        case .invalidArgument: 400
        case .deadlineExceeded: 504
        case .notFound: 404
        case .alreadyExists: 409
        case .permissionDenied: 403
        case .resourceExhausted: 429
        case .failedPrecondition: 400
        case .aborted: 409
        case .outOfRange: 400
        case .unimplemented: 501
        case .internal: 500
        case .unavailable: 503
        case .dataLoss: 500
        case .unauthenticated: 401
        }
    }
}

/// Connect protocol rules shared by the handler and its tests.
public enum ConnectRules {
    /// The only `Connect-Protocol-Version` there is.
    public static let protocolVersion = "1"
    /// The request headers a browser front end sends (CORS).
    public static let allowedHeaders = ["Content-Type", "Connect-Protocol-Version", "Connect-Timeout-Ms", "Connect-Accept-Encoding",
                                        "Content-Encoding", "Grpc-Timeout", "X-Grpc-Web", "X-User-Agent",
                                        "Checkout-Sim-Client"]
    /// The reply headers a browser front end may read (CORS).
    public static let exposedHeaders = ["Grpc-Status", "Grpc-Message", "Grpc-Status-Details-Bin", "Checkout-Sim-Rules",
                                        "Checkout-Sim-Journal"]

    /// `{"code": "...", "message": "..."}`, the body of a Connect error.
    public static func errorBody(_ status: RPCStatus) -> Data {
        struct Body: Encodable { var code: String; var message: String }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Body(code: status.code.name, message: status.message))) ?? Data()
    }

    /// The deadline in a `Connect-Timeout-Ms` header: at most 10 digits, positive.
    /// `.success(nil)` when there is none; a failure is an `invalid_argument`.
    public static func timeoutMillis(_ header: String?) -> Result<Int64?, RPCStatus> {
        guard let header else { return .success(nil) }
        guard !header.isEmpty, header.count <= 10, header.allSatisfy(\.isASCII), header.allSatisfy(\.isNumber),
              let value = Int64(header) else {
            return .failure(RPCStatus(code: .invalidArgument, message: "Connect-Timeout-Ms must be 1 to 10 digits, not \"\(UntrustedText.escaped(header, limit: 40))\""))
        }
        return .success(value)
    }

    /// A `grpc-timeout` header (`100m`, `5S`) in milliseconds, or `nil`.
    public static func grpcTimeoutMillis(_ header: String?) -> Int64? {
        guard let header, header.count >= 2, header.count <= 9, header.dropLast().allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int64(header.dropLast()) else { return nil }
        switch header.last {
        case "H": return value * 3_600_000
        case "M": return value * 60_000
        case "S": return value * 1000
        case "m": return value
        case "u": return max(1, value / 1000)
        case "n": return max(1, value / 1_000_000)
        default: return nil
        }
    }
}

/// gRPC-Web's length-prefixed frames: a flag byte (0x80 for trailers, 0x01
/// for a compressed message), a 4-byte big-endian length, the payload.
public enum GRPCWebFrames {
    /// A message frame.
    public static func message(_ payload: Data) -> Data { frame(flag: 0, payload) }

    /// The trailers frame that ends every gRPC-Web reply.
    public static func trailers(_ status: RPCStatus?) -> Data {
        let code = status?.code.rawValue ?? 0
        var text = "grpc-status: \(code)\r\n"
        if let status { text += "grpc-message: \(percentEncoded(status.message))\r\n" }
        return frame(flag: 0x80, Data(text.utf8))
    }

    /// gRPC's percent-encoding of `grpc-message`: printable ASCII but `%` as is.
    public static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte >= 0x20, byte <= 0x7E, byte != 0x25 { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += "%" + hex(byte) }
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    private static func frame(flag: UInt8, _ payload: Data) -> Data {
        let length = UInt32(payload.count)
        return Data([flag, UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]) + payload
    }

    /// A `grpc-web-text` body: base64, possibly several padded chunks one after another (a
    /// client may encode each frame on its own); `nil` when it is not base64.
    public static func decodeText(_ body: Data) -> Data? {
        var out = Data()
        var chunk = [UInt8]()
        func flush() -> Bool {
            guard !chunk.isEmpty else { return true }
            guard chunk.count % 4 == 0, let decoded = Data(base64Encoded: Data(chunk)) else { return false }
            out.append(decoded)
            chunk.removeAll(keepingCapacity: true)
            return true
        }
        for byte in body where byte != UInt8(ascii: "\r") && byte != UInt8(ascii: "\n") {
            // A chunk ends after its padding: an "=" followed by anything but "=".
            if chunk.last == UInt8(ascii: "="), byte != UInt8(ascii: "=") { guard flush() else { return nil } }
            chunk.append(byte)
        }
        return flush() ? out : nil
    }

    /// The one message of a unary request body: its payload and whether it is compressed;
    /// `nil` when the body is not exactly one well-formed frame.
    public static func singleMessage(_ body: Data) -> (payload: Data, compressed: Bool)? {
        let bytes = [UInt8](body)
        guard bytes.count >= 5, bytes[0] & 0x80 == 0 else { return nil }
        let length = Int(bytes[1]) << 24 | Int(bytes[2]) << 16 | Int(bytes[3]) << 8 | Int(bytes[4])
        guard bytes.count == 5 + length else { return nil }
        return (Data(bytes[5...]), bytes[0] & 0x01 != 0)
    }
}
