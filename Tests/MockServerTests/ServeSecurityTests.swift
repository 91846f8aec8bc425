import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
@testable import MockServer
import Synchronization
import Testing

/// What a page of another site, a rebound DNS name or a LAN peer can and cannot do.
struct ServeSecurityTests {
    static let evil: HTTPFields = [.origin: "http://evil.example", .contentType: "text/plain"]

    @Test("an admin call from a page of another origin is refused and changes nothing", arguments: [
        ("POST", "/__admin/rules", "\"rotate\""), ("POST", "/__admin/reset", ""), ("POST", "/__admin/clock", #"{"advance": "25h"}"#),
        ("DELETE", "/__admin/rules", ""), ("POST", "/__admin/mark-paid", #"{"key": "k"}"#),
        ("POST", "//__admin//rules", "\"rotate\""), ("POST", "/%5F_admin/rules", "\"rotate\""),
    ])
    func crossOriginAdminIsRefused(method: String, path: String, body: String) async throws {
        let server = TestServer()
        try await server.test { client in
            for origin in ["http://evil.example", "null", "http://localhost:5173"] {
                var headers = Self.evil
                headers[.origin] = origin
                let reply = try await client.execute(uri: path, method: HTTPRequest.Method(method)!, headers: headers, body: ByteBuffer(string: body))
                #expect(reply.status == .forbidden, "\(method) \(path) from \(origin): \(reply.status)")
                #expect(Wire.object(reply)["code"] as? String == "permission_denied")
                #expect((Wire.object(reply)["message"] as? String)?.contains("another origin") == true)
                #expect(reply.headers[.accessControlAllowOrigin] == nil)
            }
            let rules = Wire.object(try await client.execute(uri: "/__admin/rules", method: .get))
            #expect((rules["rules"] as? [Any])?.isEmpty == true)
        }
        #expect(server.host.nowMillis == 1_800_000_000_000)
    }

    @Test func crossOriginAdminReadsAreRefusedUnlessAllowed() async throws {
        try await TestServer(options: ServerOptions(corsOrigins: ["http://shop.test"])).test { client in
            let refused = try await client.execute(uri: "/__admin/journal", method: .get, headers: [.origin: "http://evil.example"])
            #expect(refused.status == .forbidden)
            let allowed = try await client.execute(uri: "/__admin/journal", method: .get, headers: [.origin: "http://shop.test"])
            #expect(allowed.status == .ok)
            #expect(allowed.headers[.accessControlAllowOrigin] == "http://shop.test")
            let armed = try await client.post("/__admin/rules", "\"rotate\"", headers: [.origin: "http://shop.test", .contentType: "application/json"])
            #expect(armed.status.code == 201)
        }
        // Without --cors-origin no other page may read the admin API, though any may call the RPCs.
        try await TestServer().test { client in
            let read = try await client.execute(uri: "/__admin/sessions", method: .get, headers: [.origin: "http://localhost:5173"])
            #expect(read.status == .forbidden)
            let rpc = try await client.post(Wire.validate, Wire.cart(), headers: [.contentType: "application/json", .origin: "http://localhost:5173"])
            #expect(rpc.status == .ok)
            #expect(rpc.headers[.accessControlAllowOrigin] == "http://localhost:5173")
        }
    }

    @Test("scripts, the server's own pages and same-origin fetches keep working") func ownCallersWork() async throws {
        try await TestServer().test { client in
            #expect(try await client.post("/__admin/rules", "\"rotate\"").status.code == 201)
            let own = try await client.post("/__admin/rules", "\"rotate\"", headers: [.origin: "http://localhost", .contentType: "application/json"])
            #expect(own.status.code == 201)
            let navigation = try await client.execute(uri: "/__admin/rules", method: .get, headers: [HTTPField.Name("Sec-Fetch-Site")!: "none"])
            #expect(navigation.status == .ok)
            let crossSite = try await client.execute(uri: "/__admin/rules", method: .get, headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
        }
    }

    @Test func adminTokenIsRequiredWhenSet() async throws {
        try await TestServer(options: ServerOptions(adminToken: "s3cret-token")).test { client in
            let missing = try await client.post("/__admin/rules", "\"rotate\"")
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            let wrong = try await client.post("/__admin/rules", "\"rotate\"", headers: [.authorization: "Bearer nope", .contentType: "application/json"])
            #expect(wrong.status == .unauthorized)
            let right = try await client.post("/__admin/rules", "\"rotate\"", headers: [.authorization: "Bearer s3cret-token", .contentType: "application/json"])
            #expect(right.status.code == 201)
            // The RPCs and the shop stay open.
            #expect(try await client.post(Wire.validate, Wire.cart()).status == .ok)
            #expect(try await client.execute(uri: "/", method: .get).status == .ok)
        }
    }

    @Test func exposedHeadersAreOnTheActualResponse() async throws {
        try await TestServer().test { client in
            let reply = try await client.post(Wire.validate, Wire.cart(), headers: [.contentType: "application/json", .origin: "http://localhost:5173"])
            let exposed = try #require(reply.headers[.accessControlExposeHeaders])
            for name in ["Grpc-Status", "Grpc-Message", "Checkout-Sim-Journal", "Checkout-Sim-Rules"] {
                #expect(exposed.contains(name), "\(name) not in \(exposed)")
            }
        }
    }

    /// Every request passes the one chain, an RPC without an `Origin` (curl, gRPC-Web, test code) too.
    @Test func aProbeMiddlewareSeesEveryRequest() async throws {
        let probe = Probe()
        try await TestServer().test(extra: [probe]) { client in
            _ = try await client.post(Wire.validate, Wire.cart(), headers: Wire.json)
            _ = try await client.execute(uri: "/__admin/rules", method: .get)
            _ = try await client.execute(uri: "/", method: .get)
        }
        #expect(probe.seen.withLock { $0 } == ["POST " + Wire.validate, "GET /__admin/rules", "GET /"])
    }

    @Test("Host names", arguments: [
        ("localhost:8787", true), ("127.0.0.1:8787", true), ("127.4.5.6", true), ("[::1]:8787", true), ("LOCALHOST.", true),
        ("app.localhost:8787", true), (nil, true), ("evil.example", false), ("evil.example:8787", false), ("10.0.0.5:8787", false),
        ("localhost.evil.example", false), ("[::1", false), ("a@localhost", false), ("shop.test:8787", true), ("x.dev.test", true),
        ("dev.test", true), ("notdev.test", false),
    ] as [(String?, Bool)])
    func hostNames(authority: String?, allowed: Bool) {
        let policy = HostPolicy(boundHost: "127.0.0.1", allowedHosts: ["shop.test", ".dev.test"])
        #expect(policy.allows(authority: authority) == allowed, "\(authority ?? "nil")")
    }

    @Test func boundAddressesAreServed() {
        #expect(HostPolicy(boundHost: "0.0.0.0").allows(authority: "192.168.1.20:8787"))
        #expect(!HostPolicy(boundHost: "0.0.0.0").allows(authority: "evil.example:8787"))
        #expect(HostPolicy(boundHost: "my-laptop.lan").allows(authority: "my-laptop.lan:8787"))
        #expect(!HostPolicy(boundHost: "192.168.1.20").allows(authority: "192.168.1.21"))
    }

    @Test func tokens() {
        let token = AdminAccess.generateToken()
        #expect(token.count == 32 && token.allSatisfy(\.isHexDigit))
        #expect(token != AdminAccess.generateToken())
        #expect(AdminAccess.constantTimeEqual("abc", "abc"))
        #expect(!AdminAccess.constantTimeEqual("abc", "abd"))
        #expect(!AdminAccess.constantTimeEqual("abc", "abcd"))
        #expect(!AdminAccess.constantTimeEqual("", "a"))
    }

    /// A long poll wakes when a request is journaled, not at its deadline.
    @Test func longPollWakesOnANewEntry() async throws {
        let server = TestServer()
        try await server.test { client in
            async let polled = client.execute(uri: "/__admin/journal?after=0&wait=30000", method: .get)
            var turns = 0
            while server.host.journalSignal.sleeping == 0, turns < 1_000_000 {
                turns += 1
                await Task.yield()
            }
            #expect(server.host.journalSignal.sleeping == 1, "the poll never slept")
            let started = ContinuousClock.now
            _ = try await client.post(Wire.validate, Wire.cart())
            let reply = try await polled
            #expect((Wire.object(reply)["entries"] as? [Any])?.isEmpty == false)
            #expect(ContinuousClock.now - started < .seconds(20), "the poll waited for its deadline")
        }
    }
}

/// Records each request it sees.
final class Probe: RouterMiddleware {
    typealias Context = ServerContext
    let seen = Mutex<[String]>([])

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        seen.withLock { $0.append("\(request.method.rawValue) \(request.uri.path)") }
        return try await next(request, context)
    }
}
