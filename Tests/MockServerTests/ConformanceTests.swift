import CheckoutCore
import CheckoutProto
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
@testable import MockServer
import Testing

/// What the Connect protocol and gRPC-Web (PROTOCOL-WEB.md) ask beyond the common case:
/// the text mode, compressed bodies that are cut or corrupt, and the methods a procedure refuses.
struct ConformanceTests {
    static var request: Checkout_V1_ValidateOrderItemsInsertRequest {
        var request = Checkout_V1_ValidateOrderItemsInsertRequest()
        request.items = [.with { $0.sku = "MUG"; $0.quantity = 2 }, .with { $0.sku = "BEANS-1KG"; $0.quantity = 1 }]
        request.paymentMethod = .card
        request.email = "someone.with.a.long.address@example.com"
        request.currency = "EUR"
        return request
    }

    /// The frames of a gRPC-Web body: (flag, payload) each.
    static func frames(_ body: Data) -> [(UInt8, Data)] {
        var frames: [(UInt8, Data)] = []
        var rest = [UInt8](body)
        while rest.count >= 5 {
            let length = Int(rest[1]) << 24 | Int(rest[2]) << 16 | Int(rest[3]) << 8 | Int(rest[4])
            guard rest.count >= 5 + length else { break }
            frames.append((rest[0], Data(rest[5..<(5 + length)])))
            rest.removeFirst(5 + length)
        }
        return frames
    }

    @Test("grpc-web-text: a base64 request, a base64 reply with its trailer frame", arguments: [
        "application/grpc-web-text", "application/grpc-web-text+proto",
    ])
    func grpcWebText(contentType: String) async throws {
        try await TestServer().test { client in
            let frame = GRPCWebFrames.message(try Self.request.serializedData())
            // Two padded chunks one after another, as a client that encodes piece by piece sends them.
            let split = frame.count / 2 + 1
            let body = frame.prefix(split).base64EncodedData() + frame.suffix(from: split).base64EncodedData()
            let headers: HTTPFields = [.contentType: contentType, HTTPField.Name("X-Grpc-Web")!: "1"]
            let reply = try await client.execute(uri: Wire.validate, method: .post, headers: headers, body: ByteBuffer(bytes: body))
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/grpc-web-text+proto")
            let decoded = try #require(Data(base64Encoded: Data(reply.body.readableBytesView)), "the reply is not base64: \(Wire.text(reply))")
            let frames = Self.frames(decoded)
            #expect(frames.count == 2)
            let message = try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: try #require(frames.first).1)
            #expect(!message.idempotencyKey.isEmpty)
            #expect(frames.last?.0 == 0x80)
            #expect(String(decoding: frames.last?.1 ?? Data(), as: UTF8.self) == "grpc-status: 0\r\n")

            try await client.post("/__admin/rules", #""payment_unavailable""#)
            let failed = try await client.execute(uri: Wire.validate, method: .post, headers: headers, body: ByteBuffer(bytes: frame.base64EncodedData()))
            #expect(failed.headers[HTTPField.Name("Grpc-Status")!] == "14")
            let trailer = Self.frames(Data(base64Encoded: Data(failed.body.readableBytesView)) ?? Data())
            #expect(trailer.count == 1 && String(decoding: trailer[0].1, as: UTF8.self).contains("grpc-status: 14\r\n"))

            let junk = try await client.execute(uri: Wire.validate, method: .post, headers: headers, body: ByteBuffer(string: "not base64!"))
            #expect(junk.headers[HTTPField.Name("Grpc-Status")!] == "3")
        }
    }

    /// A gzip body cut anywhere, or corrupt past a valid header, is refused and reaches nothing.
    @Test func truncatedOrCorruptGzipIsInvalid() async throws {
        let server = TestServer()
        try await server.test { client in
            let whole = WireCompression.gzip(try Self.request.serializedData())
            var headers = Wire.proto
            headers[.contentEncoding] = "gzip"
            for cut in stride(from: 10, to: whole.count, by: 1) {
                let reply = try await client.execute(uri: Wire.validate, method: .post, headers: headers, body: ByteBuffer(bytes: whole.prefix(cut)))
                #expect(reply.status.code == 400, "cut at \(cut) of \(whole.count): \(reply.status)")
                #expect(Wire.object(reply)["code"] as? String == "invalid_argument")
            }
            var corrupt = [UInt8](whole)
            for index in 10..<(corrupt.count - 8) { corrupt[index] ^= 0x5A }
            let broken = try await client.execute(uri: Wire.validate, method: .post, headers: headers, body: ByteBuffer(bytes: corrupt))
            #expect(broken.status.code == 400)
            let journal = Wire.object(try await client.execute(uri: "/__admin/journal?after=0", method: .get))
            #expect((journal["entries"] as? [Any])?.isEmpty == true, "a refused body reached the backend")
            #expect(try await client.execute(uri: Wire.validate, method: .post, headers: headers, body: ByteBuffer(bytes: whole)).status == .ok)
        }
    }

    @Test func grpcWebWithAGzippedBody() async throws {
        try await TestServer().test { client in
            let frame = GRPCWebFrames.message(try Self.request.serializedData())
            let headers: HTTPFields = [.contentType: "application/grpc-web+proto", .contentEncoding: "gzip"]
            let reply = try await client.execute(uri: Wire.validate, method: .post, headers: headers, body: ByteBuffer(bytes: WireCompression.gzip(frame)))
            #expect(reply.headers[HTTPField.Name("Grpc-Status")!] == nil)
            #expect(Wire.text(reply).hasSuffix("grpc-status: 0\r\n"))
        }
    }

    @Test("a procedure answers other methods with 405 and Allow", arguments: ["PUT", "DELETE", "PATCH", "HEAD", "GET"])
    func otherMethods(method: String) async throws {
        try await TestServer().test { client in
            let reply = try await client.execute(uri: Wire.validate, method: HTTPRequest.Method(method)!, headers: Wire.json)
            #expect(reply.status.code == 405)
            #expect(reply.headers[.allow] == "POST, OPTIONS")
        }
    }

    @Test func crc32() {
        #expect(GzipTrailer.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(GzipTrailer.crc32(Data()) == 0)
    }
}
