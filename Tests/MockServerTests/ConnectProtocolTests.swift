import CheckoutCore
import Foundation
@testable import MockServer
import Testing

/// Connect's rules that do not need HTTP: statuses, content types, deadlines, frames.
struct ConnectProtocolTests {
    /// The Connect protocol's table of error codes to HTTP statuses.
    @Test(arguments: [
        (RPCCode.canceled, 499), (.unknown, 500), (.invalidArgument, 400), (.deadlineExceeded, 504), (.notFound, 404),
        (.alreadyExists, 409), (.permissionDenied, 403), (.resourceExhausted, 429), (.failedPrecondition, 400),
        (.aborted, 409), (.outOfRange, 400), (.unimplemented, 501), (.internal, 500), (.unavailable, 503),
        (.dataLoss, 500), (.unauthenticated, 401),
    ])
    func statusTable(code: RPCCode, status: Int) {
        #expect(code.httpStatus == status)
    }

    @Test func contentTypes() {
        #expect(WireFormat(contentType: "application/json") == .connectJSON)
        #expect(WireFormat(contentType: "application/json; charset=utf-8") == .connectJSON)
        #expect(WireFormat(contentType: "Application/Proto") == .connectProto)
        #expect(WireFormat(contentType: "application/grpc-web") == .grpcWebProto)
        #expect(WireFormat(contentType: "application/grpc-web+proto") == .grpcWebProto)
        #expect(WireFormat(contentType: "application/grpc-web+json") == .grpcWebJSON)
        #expect(WireFormat(contentType: "text/plain") == nil)
        #expect(WireFormat(contentType: "application/grpc") == nil)
        #expect(WireFormat(contentType: nil) == nil)
    }

    @Test func connectTimeoutHeader() throws {
        #expect(try ConnectRules.timeoutMillis(nil).get() == nil)
        #expect(try ConnectRules.timeoutMillis("250").get() == 250)
        #expect(try ConnectRules.timeoutMillis("9999999999").get() == 9_999_999_999)
        for bad in ["", "12345678901", "-1", "1.5", "abc", "٣"] {
            guard case .failure(let status) = ConnectRules.timeoutMillis(bad) else {
                Issue.record("accepted \(bad)")
                continue
            }
            #expect(status.code == .invalidArgument)
        }
    }

    @Test func grpcTimeoutHeader() {
        #expect(ConnectRules.grpcTimeoutMillis("5S") == 5000)
        #expect(ConnectRules.grpcTimeoutMillis("250m") == 250)
        #expect(ConnectRules.grpcTimeoutMillis("2M") == 120_000)
        #expect(ConnectRules.grpcTimeoutMillis("-1H") == nil)
        #expect(ConnectRules.grpcTimeoutMillis("+5S") == nil)
        #expect(ConnectRules.grpcTimeoutMillis("10") == nil)
        #expect(ConnectRules.grpcTimeoutMillis(nil) == nil)
    }

    @Test func errorBodyIsConnectJSON() throws {
        let body = ConnectRules.errorBody(RPCStatus(code: .failedPrecondition, message: "Payment already \"completed\"\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: String])
        #expect(object == ["code": "failed_precondition", "message": "Payment already \"completed\"\n"])
    }

    @Test func grpcWebFrames() throws {
        let payload = Data([1, 2, 3])
        let framed = GRPCWebFrames.message(payload)
        #expect([UInt8](framed) == [0, 0, 0, 0, 3, 1, 2, 3])
        let single = try #require(GRPCWebFrames.singleMessage(framed))
        #expect(single.payload == payload)
        #expect(!single.compressed)
        #expect(GRPCWebFrames.singleMessage(framed.dropLast()) == nil)
        #expect(GRPCWebFrames.singleMessage(framed + Data([0])) == nil)
        #expect(GRPCWebFrames.singleMessage(GRPCWebFrames.trailers(nil)) == nil)
        let trailers = GRPCWebFrames.trailers(RPCStatus(code: .unavailable, message: "50% down\r\n"))
        #expect(trailers.first == 0x80)
        #expect(String(decoding: trailers.dropFirst(5), as: UTF8.self) == "grpc-status: 14\r\ngrpc-message: 50%25 down%0D%0A\r\n")
    }

    @Test func gzipRoundTrip() throws {
        let body = Data(Wire.cart().utf8)
        #expect(try WireCompression.decode(WireCompression.gzip(body), encoding: "gzip") == body)
        #expect(try WireCompression.decode(body, encoding: "identity") == body)
        #expect(throws: RPCStatus.self) { try WireCompression.decode(body, encoding: "gzip") }
        do {
            _ = try WireCompression.decode(body, encoding: "br")
            Issue.record("br accepted")
        } catch {
            #expect(error.code == .unimplemented)
        }
    }
}
