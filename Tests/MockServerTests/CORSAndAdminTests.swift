import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
@testable import MockServer
import Testing

/// CORS for a front end on another origin, and the admin API.
struct CORSAndAdminTests {
    static let preflight: HTTPFields = [.origin: "http://localhost:5173", .accessControlRequestMethod: "POST",
                                        .accessControlRequestHeaders: "content-type,connect-protocol-version"]

    @Test func preflightIsAnswered() async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: Wire.validate, method: .options, headers: Self.preflight)
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == "http://localhost:5173")
            let allowed = (response.headers[.accessControlAllowHeaders] ?? "").lowercased()
            for header in ["content-type", "connect-protocol-version", "connect-timeout-ms", "x-grpc-web", "x-user-agent"] {
                #expect(allowed.contains(header), "\(header) not in \(allowed)")
            }
            #expect(response.headers[.accessControlExposeHeaders]?.contains("Grpc-Status") == true)
            #expect(response.headers[.accessControlExposeHeaders]?.contains("Grpc-Message") == true)
            let simple = try await client.post(Wire.validate, Wire.cart(), headers: [.contentType: "application/json", .origin: "http://localhost:5173"])
            #expect(simple.headers[.accessControlAllowOrigin] == "http://localhost:5173")
        }
    }

    @Test func corsOriginRestricts() async throws {
        try await TestServer(options: ServerOptions(corsOrigins: ["http://shop.test"])).test { client in
            let other = try await client.execute(uri: Wire.validate, method: .options, headers: Self.preflight)
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            var allowed = Self.preflight
            allowed[.origin] = "http://shop.test"
            let shop = try await client.execute(uri: Wire.validate, method: .options, headers: allowed)
            #expect(shop.headers[.accessControlAllowOrigin] == "http://shop.test")
        }
    }

    @Test func rulesArmListAndDisarm() async throws {
        try await TestServer().test { client in
            let armed = try await client.post("/__admin/rules", #"["rotate", {"payment_already_completed": {"times": 2}}, {"latency": "2s"}]"#)
            #expect(armed.status.code == 201)
            let listed = try await client.execute(uri: "/__admin/rules", method: .get)
            let rules = try #require(Wire.object(listed)["rules"] as? [[String: Any]])
            #expect(rules.count == 3)
            #expect(rules.first?["rule"] as? String == "rotate")
            #expect((rules[1]["rule"] as? [String: Any])?["payment_already_completed"] != nil)
            #expect(try await client.post("/__admin/rules", #"{"disarm": 1}"#).status.code == 201)
            #expect((Wire.object(try await client.execute(uri: "/__admin/rules", method: .get))["rules"] as? [Any])?.count == 2)
            let cleared = try await client.execute(uri: "/__admin/rules", method: .delete)
            #expect((Wire.object(cleared)["rules"] as? [Any])?.isEmpty == true)
        }
    }

    /// Bad admin input gets the located message a scenario file would get.
    @Test func badRulesAreLocated() async throws {
        try await TestServer().test { client in
            let typo = try await client.post("/__admin/rules", #"{"rotat": "once"}"#)
            #expect(typo.status.code == 400)
            let message = try #require(Wire.object(typo)["message"] as? String)
            #expect(message.hasPrefix("request body:1:2: "))
            #expect(message.contains("did you mean 'rotate'"))
            let broken = try await client.post("/__admin/rules", #"{"latency": "#)
            #expect(broken.status.code == 400)
            #expect((Wire.object(broken)["message"] as? String)?.hasPrefix("request body:") == true)
            let hostile = try await client.post("/__admin/rules", "\"\u{1B}[2J\"")
            #expect(hostile.status.code == 400)
            #expect(!Wire.text(hostile).contains("\u{1B}"))
        }
    }

    @Test func journalLongPollSeesDecodedBodies() async throws {
        try await TestServer().test { client in
            let empty = try await client.execute(uri: "/__admin/journal?after=0&wait=10", method: .get)
            #expect((Wire.object(empty)["entries"] as? [Any])?.isEmpty == true)
            let key = try await client.firstKey()
            let journal = Wire.object(try await client.execute(uri: "/__admin/journal?after=0", method: .get))
            let entries = try #require(journal["entries"] as? [[String: Any]])
            #expect(entries.first?["kind"] as? String == "arrival")
            let response = try #require(entries.first { $0["kind"] as? String == "response" })
            #expect((response["body"] as? [String: Any])?["idempotencyKey"] as? String == key)
            let last = try #require(journal["last"] as? Int)
            let after = Wire.object(try await client.execute(uri: "/__admin/journal?after=\(last)&wait=10", method: .get))
            #expect((after["entries"] as? [Any])?.isEmpty == true)
            #expect(try await client.execute(uri: "/__admin/journal?wait=999999", method: .get).status.code == 400)
            #expect(try await client.execute(uri: "/__admin/journal?after=-3", method: .get).status.code == 400)
        }
    }

    @Test func clockAdvanceExpiresSessions() async throws {
        try await TestServer().test { client in
            let key = try await client.firstKey()
            let advanced = try await client.post("/__admin/clock", #"{"advance": "25h"}"#)
            #expect(advanced.status == .ok)
            let after = Wire.object(try await client.post(Wire.validate, Wire.cart(key: key)))
            let rotated = try #require(after["idempotencyKey"] as? String)
            #expect(rotated != key)
            #expect(try await client.post("/__admin/clock", #"{"advance": "soon"}"#).status.code == 400)
            #expect(try await client.post("/__admin/clock", "[]").status.code == 400)
        }
    }

    @Test func markPaidThenAlreadyCompleted() async throws {
        try await TestServer().test { client in
            let key = try await client.firstKey()
            #expect(try await client.post("/__admin/mark-paid", #"{"key": "\#(key)"}"#).status == .ok)
            let again = try await client.post(Wire.validate, Wire.cart(key: key))
            #expect(again.status.code == 400)
            #expect(Wire.object(again)["code"] as? String == "failed_precondition")
            #expect((Wire.object(again)["message"] as? String)?.hasPrefix("Payment already completed") == true)
        }
    }

    @Test func sessionsAndReset() async throws {
        try await TestServer().test { client in
            let key = try await client.firstKey()
            let sessions = Wire.object(try await client.execute(uri: "/__admin/sessions", method: .get))
            let list = try #require(sessions["sessions"] as? [[String: Any]])
            #expect(list.first?["key"] as? String == key)
            #expect((sessions["payment_intents"] as? [Any])?.count == 1)
            try await client.post("/__admin/rules", #""rotate""#)
            #expect(try await client.post("/__admin/reset", "").status == .ok)
            let cleared = Wire.object(try await client.execute(uri: "/__admin/sessions", method: .get))
            #expect((cleared["sessions"] as? [Any])?.isEmpty == true)
            #expect((Wire.object(try await client.execute(uri: "/__admin/rules", method: .get))["rules"] as? [Any])?.isEmpty == true)
            #expect(try await client.execute(uri: "/__admin/health", method: .get).status == .ok)
        }
    }
}
