import CheckoutCore
import CheckoutProto
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
@testable import MockServer
import Testing

/// A server over an in-memory backend with a fixed clock, tested through its responder (no sockets).
struct TestServer {
    let host: BackendHost
    let options: ServerOptions
    let log: RequestLog?

    init(seed: UInt64 = 7, options: ServerOptions = ServerOptions(), now: Int64 = 1_800_000_000_000, log: RequestLog? = nil,
         lintPolicy: ClientPolicy = .standard) {
        host = BackendHost(backend: MockBackend(store: InMemoryBackendStore(), seed: seed), wallClock: { now }, lintPolicy: lintPolicy)
        self.options = options
        self.log = log
    }

    func test(extra: [any RouterMiddleware<ServerContext>] = [],
              _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(responder: CheckoutServer.responder(host: host, options: options, log: log, extra: extra))
        try await app.test(.router, body)
    }
}

enum Wire {
    static let validate = "/checkout.v1.CheckoutService/ValidateOrderItemsInsert"
    static let confirm = "/checkout.v1.CheckoutService/ConfirmPayment"
    static let json: HTTPFields = [.contentType: "application/json"]
    static let proto: HTTPFields = [.contentType: "application/proto"]

    static func cart(key: String? = nil, qty: Int = 1) -> String {
        let keyField = key.map { #","idempotencyKey":"\#($0)""# } ?? ""
        return #"{"items":[{"sku":"MUG","quantity":\#(qty)}],"paymentMethod":"CARD","email":"a@example.com","currency":"EUR"\#(keyField)}"#
    }

    static func object(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    static func text(_ response: TestResponse) -> String { String(decoding: response.body.readableBytesView, as: UTF8.self) }
}

extension TestClientProtocol {
    /// POSTs JSON to `uri`; returns the response.
    @discardableResult
    func post(_ uri: String, _ body: String, headers: HTTPFields = Wire.json) async throws -> TestResponse {
        try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// A first validation: the key the server returned.
    func firstKey() async throws -> String {
        let response = try await post(Wire.validate, Wire.cart())
        let key = Wire.object(response)["idempotencyKey"] as? String
        #expect(response.status == .ok, "\(Wire.text(response))")
        return try #require(key)
    }
}
