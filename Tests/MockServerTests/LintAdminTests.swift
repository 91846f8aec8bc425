import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
@testable import MockServer
import Testing
import WireLint

/// Each client is named by a cookie (or a header), and `GET /__admin/lint` judges them apart.
struct LintAdminTests {
    static func headers(client: String? = nil, cookie: String? = nil) -> HTTPFields {
        var fields = Wire.json
        if let client { fields[ClientIdentityMiddleware.header] = client }
        if let cookie { fields[.cookie] = cookie }
        return fields
    }

    @Test func aRequestWithoutACookieGetsOne() async throws {
        try await TestServer().test { client in
            let first = try await client.post(Wire.validate, Wire.cart())
            let cookie = try #require(first.headers[.setCookie])
            #expect(cookie.hasPrefix("checkout-sim-client=c-"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            let id = String(cookie.dropFirst("checkout-sim-client=".count).prefix { $0 != ";" })
            let again = try await client.post(Wire.validate, Wire.cart(), headers: Self.headers(cookie: "checkout-sim-client=\(id)"))
            #expect(again.headers[.setCookie] == nil)
            let admin = try await client.execute(uri: "/__admin/health", method: .get)
            #expect(admin.headers[.setCookie] == nil)
        }
    }

    @Test func aHostileCookieIsReplaced() async throws {
        try await TestServer().test { client in
            let response = try await client.post(Wire.validate, Wire.cart(), headers: Self.headers(cookie: "checkout-sim-client=<script>\u{1B}[2J"))
            #expect(response.headers[.setCookie]?.hasPrefix("checkout-sim-client=c-") == true)
            let long = try await client.post(Wire.validate, Wire.cart(), headers: Self.headers(client: String(repeating: "a", count: 65)))
            #expect(long.headers[.setCookie] != nil)
        }
    }

    /// `serve --client legacy`: a client that never sends a key is what the lint expects, no
    /// warning; judged against the seed's client (the default) it is flagged.
    @Test(arguments: [(ClientPolicy.standard, true), (.legacy, false)])
    func theLintJudgesAgainstServesPolicy(policy: ClientPolicy, flagged: Bool) async throws {
        try await TestServer(lintPolicy: policy).test { client in
            let tab = Self.headers(client: "tab-a")
            for _ in 0..<3 { try await client.post(Wire.validate, Wire.cart(), headers: tab) }
            let report = Wire.object(try await client.execute(uri: "/__admin/lint", method: .get))
            let warnings = report["warnings"] as? Int ?? -1
            let violations = report["violations"] as? Int ?? -1
            #expect(violations == 0, "\(report)")
            #expect((warnings > 0) == flagged, "\(report)")
        }
    }

    @Test func lintJudgesEachClientApart() async throws {
        try await TestServer().test { client in
            let a = Self.headers(client: "tab-a"), b = Self.headers(client: "tab-b")
            let keyA = try #require(Wire.object(try await client.post(Wire.validate, Wire.cart(), headers: a))["idempotencyKey"] as? String)
            let keyB = try #require(Wire.object(try await client.post(Wire.validate, Wire.cart(), headers: b))["idempotencyKey"] as? String)
            try await client.post(Wire.validate, Wire.cart(key: keyA), headers: a)
            try await client.post(Wire.validate, Wire.cart(key: keyB), headers: b)
            try await client.post(Wire.validate, Wire.cart(), headers: a)  // tab A forgot its key
            let response = try await client.execute(uri: "/__admin/lint", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let report = try JSONDecoder().decode(LintReport.self, from: Data(response.body.readableBytesView))
            #expect(report.verdicts.map(\.rule) == [.sendStoredKey])
            #expect(report.verdicts.first?.client == "tab-a")
            #expect(report.verdicts.first?.expected == "the stored key \"\(keyA)\"")
            #expect(report.clients.map(\.client) == ["tab-a", "tab-b"])
            #expect(report.clients.last?.expectedNext == keyB)
            #expect(Wire.object(response)["clean"] as? Bool == false)

            try await client.post("/__admin/reset", "")
            let afterReset = try await client.execute(uri: "/__admin/lint", method: .get)
            #expect(Wire.object(afterReset)["clean"] as? Bool == true)
            #expect((Wire.object(afterReset)["clients"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func theRecoveryFromAlreadyCompletedIsClean() async throws {
        try await TestServer().test { client in
            let a = Self.headers(client: "shop")
            let key = try #require(Wire.object(try await client.post(Wire.validate, Wire.cart(), headers: a))["idempotencyKey"] as? String)
            try await client.post("/__admin/rules", #""payment_already_completed""#)
            let refused = try await client.post(Wire.validate, Wire.cart(key: key), headers: a)
            #expect(refused.status == .badRequest)
            try await client.post(Wire.validate, Wire.cart(), headers: a)
            let report = Wire.object(try await client.execute(uri: "/__admin/lint", method: .get))
            #expect(report["clean"] as? Bool == true, "\(report)")
        }
    }
}

/// A journal its limit pruned: the journal and the lint both say so.
struct PrunedJournalAdminTests {
    @Test func journalAndLintSayWhatWasPruned() async throws {
        let host = BackendHost(backend: MockBackend(store: InMemoryBackendStore(journalLimit: JournalLimit(entries: 10)), seed: 7),
                               wallClock: { 1_800_000_000_000 })
        let app = Application(responder: CheckoutServer.responder(host: host, options: ServerOptions(), log: nil))
        try await app.test(.router) { client in
            for _ in 0..<10 { _ = try await client.post(Wire.validate, Wire.cart(), headers: LintAdminTests.headers(client: "e2e")) }
            let journal = Wire.object(try await client.execute(uri: "/__admin/journal", method: .get))
            let entries = try #require(journal["entries"] as? [[String: Any]])
            let pruned = try #require(journal["pruned"] as? Int)
            let through = try #require(journal["pruned_through"] as? Int)
            #expect(pruned > 0 && entries.first?["seq"] as? Int == through + 1, "\(journal)")
            let lint = Wire.object(try await client.execute(uri: "/__admin/lint", method: .get))
            #expect(lint["pruned"] as? Int == pruned && lint["pruned_through"] as? Int == through, "\(lint)")
        }
    }
}
