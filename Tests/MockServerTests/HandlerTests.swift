import CheckoutCore
import CheckoutProto
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
@testable import MockServer
import Testing

/// The RPC endpoints through Hummingbird's router: codes, statuses, content types, gzip.
struct HandlerTests {
    @Test func firstValidationInJSONGivesAKeyAndRetryKeepsIt() async throws {
        try await TestServer().test { client in
            let first = try await client.post(Wire.validate, Wire.cart())
            #expect(first.status == .ok)
            #expect(first.headers[.contentType] == "application/json")
            let body = Wire.object(first)
            let key = try #require(body["idempotencyKey"] as? String)
            let again = Wire.object(try await client.post(Wire.validate, Wire.cart(key: key, qty: 2)))
            #expect(again["idempotencyKey"] as? String == key)
            #expect(again["paymentIntentId"] as? String == body["paymentIntentId"] as? String)
            #expect(again["totalCents"] as? String != body["totalCents"] as? String)
        }
    }

    @Test func binaryProtobufBodies() async throws {
        try await TestServer().test { client in
            var request = Checkout_V1_ValidateOrderItemsInsertRequest()
            request.items = [.with { $0.sku = "MUG"; $0.quantity = 1 }]
            request.paymentMethod = .card
            let response = try await client.execute(uri: Wire.validate, method: .post, headers: Wire.proto,
                                                    body: ByteBuffer(bytes: try request.serializedData()))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/proto")
            let decoded = try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: Data(response.body.readableBytesView))
            #expect(!decoded.idempotencyKey.isEmpty)
            #expect(decoded.totalCents > 0)
        }
    }

    @Test func gzipRequestBodies() async throws {
        try await TestServer().test { client in
            var headers = Wire.json
            headers[.contentEncoding] = "gzip"
            let response = try await client.execute(uri: Wire.validate, method: .post, headers: headers,
                                                    body: ByteBuffer(bytes: WireCompression.gzip(Data(Wire.cart().utf8))))
            #expect(response.status == .ok)
            #expect(Wire.object(response)["idempotencyKey"] is String)
            headers[.contentEncoding] = "br"
            let unsupported = try await client.post(Wire.validate, Wire.cart(), headers: headers)
            #expect(unsupported.status.code == 501)
            #expect(Wire.object(unsupported)["code"] as? String == "unimplemented")
        }
    }

    @Test func unknownJSONFieldsAreIgnored() async throws {
        try await TestServer().test { client in
            let body = #"{"items":[{"sku":"MUG","quantity":1,"colour":"red"}],"paymentMethod":"CARD","futureField":{"a":1}}"#
            let response = try await client.post(Wire.validate, body)
            #expect(response.status == .ok)
        }
    }

    @Test func refusals() async throws {
        try await TestServer().test { client in
            let media = try await client.post(Wire.validate, "x", headers: [.contentType: "text/plain"])
            #expect(media.status.code == 415)
            #expect(Wire.text(media).contains("application/proto"))
            let version = try await client.post(Wire.validate, Wire.cart(), headers: [.contentType: "application/json", HTTPField.Name("Connect-Protocol-Version")!: "2"])
            #expect(version.status.code == 400)
            #expect(Wire.object(version)["code"] as? String == "invalid_argument")
            let accepted = try await client.post(Wire.validate, Wire.cart(), headers: [.contentType: "application/json", HTTPField.Name("Connect-Protocol-Version")!: "1"])
            #expect(accepted.status == .ok)
            let garbage = try await client.post(Wire.validate, "{not json")
            #expect(garbage.status.code == 400)
            #expect(Wire.object(garbage)["code"] as? String == "invalid_argument")
            let badProto = try await client.post(Wire.validate, "\u{0A}\u{7F}", headers: Wire.proto)
            #expect(badProto.status.code == 400)
            let timeout = try await client.post(Wire.validate, Wire.cart(), headers: [.contentType: "application/json", HTTPField.Name("Connect-Timeout-Ms")!: "soon"])
            #expect(timeout.status.code == 400)
            let unknown = try await client.post("/checkout.v1.CheckoutService/Refund", "{}")
            #expect(unknown.status.code == 404)
            #expect(Wire.object(unknown)["code"] as? String == "unimplemented")
            let otherService = try await client.post("/other.v1.Service/Do", "{}")
            #expect(otherService.status.code == 404)
            #expect(Wire.object(otherService)["code"] as? String == "unimplemented")
        }
    }

    /// Each injected error travels with its Connect code and status.
    @Test(arguments: [
        (#""payment_already_completed""#, "failed_precondition", 400),
        (#""payment_unavailable""#, "unavailable", 503),
        (#""failed_to_create_payment_intent""#, "internal", 500),
        (#"{"error": {"message": "cart total mismatch", "code": "invalid_argument"}}"#, "invalid_argument", 400),
        (#"{"error": {"message": "busy", "code": "aborted"}}"#, "aborted", 409),
        (#"{"error": {"message": "boom"}}"#, "unknown", 500),
    ])
    func injectedErrors(rule: String, code: String, status: Int) async throws {
        try await TestServer().test { client in
            #expect(try await client.post("/__admin/rules", rule).status.code == 201)
            let response = try await client.post(Wire.validate, Wire.cart())
            #expect(response.status.code == status)
            #expect(Wire.object(response)["code"] as? String == code)
            #expect(response.headers[WireReply.rulesHeader] != nil)
            // Fired once: the next request is served.
            #expect(try await client.post(Wire.validate, Wire.cart()).status == .ok)
        }
    }

    @Test func garbledReplyIs200AndDoesNotDecode() async throws {
        try await TestServer().test { client in
            try await client.post("/__admin/rules", #""garble_response""#)
            let json = try await client.post(Wire.validate, Wire.cart())
            #expect(json.status == .ok)
            #expect((try? JSONSerialization.jsonObject(with: Data(json.body.readableBytesView))) == nil)
            try await client.post("/__admin/rules", #""garble_response""#)
            var request = Checkout_V1_ValidateOrderItemsInsertRequest()
            request.items = [.with { $0.sku = "MUG"; $0.quantity = 1 }]
            request.paymentMethod = .card
            let proto = try await client.execute(uri: Wire.validate, method: .post, headers: Wire.proto,
                                                 body: ByteBuffer(bytes: try request.serializedData()))
            #expect(proto.status == .ok)
            #expect(throws: (any Error).self) {
                try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: Data(proto.body.readableBytesView))
            }
        }
    }

    @Test func latencyBeyondTheDeadlineIsDeadlineExceeded() async throws {
        try await TestServer().test { client in
            try await client.post("/__admin/rules", #"{"latency": "300ms"}"#)
            let response = try await client.post(Wire.validate, Wire.cart(),
                                                  headers: [.contentType: "application/json", HTTPField.Name("Connect-Timeout-Ms")!: "20"])
            #expect(response.status.code == 504)
            #expect(Wire.object(response)["code"] as? String == "deadline_exceeded")
        }
    }

    @Test func grpcWebReplyCarriesTrailersInTheBody() async throws {
        try await TestServer().test { client in
            var request = Checkout_V1_ValidateOrderItemsInsertRequest()
            request.items = [.with { $0.sku = "MUG"; $0.quantity = 1 }]
            request.paymentMethod = .card
            let headers: HTTPFields = [.contentType: "application/grpc-web+proto", HTTPField.Name("X-Grpc-Web")!: "1"]
            let response = try await client.execute(uri: Wire.validate, method: .post, headers: headers,
                                                    body: ByteBuffer(bytes: GRPCWebFrames.message(try request.serializedData())))
            #expect(response.status == .ok)
            let body = Data(response.body.readableBytesView)
            let message = try #require(GRPCWebFrames.singleMessage(body.prefix(5 + Int(body[4]) + Int(body[3]) << 8)))
            #expect(!(try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: message.payload)).idempotencyKey.isEmpty)
            #expect(Wire.text(response).hasSuffix("grpc-status: 0\r\n"))

            try await client.post("/__admin/rules", #""payment_already_completed""#)
            let failed = try await client.execute(uri: Wire.validate, method: .post, headers: headers,
                                                  body: ByteBuffer(bytes: GRPCWebFrames.message(try request.serializedData())))
            #expect(failed.status == .ok)
            #expect(failed.headers[HTTPField.Name("Grpc-Status")!] == "9")
            #expect(Wire.text(failed).contains("grpc-status: 9\r\n"))
        }
    }
}
