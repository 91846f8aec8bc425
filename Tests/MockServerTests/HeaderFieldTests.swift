import HTTPTypes
import Hummingbird
@testable import MockServer
import CheckoutCore
import Foundation
import Testing

/// The one-pass header reads and the hand-written `Set-Cookie` of the request path.
struct HeaderFieldTests {
    @Test func aValueReadsAsTheSubscriptDoes() {
        let agent = HTTPField.Name("X-Agent")!
        var fields: HTTPFields = [.contentType: "application/json", .userAgent: "curl/8", agent: "a"]
        #expect(fields.value(.contentType) == "application/json")
        #expect(fields.value(.contentEncoding) == nil)
        // Names are matched without regard to case, as HTTP has them.
        #expect(fields.value(HTTPField.Name("user-agent")!) == "curl/8")
        // Repeated fields are joined, as the subscript joins them (cookies with "; ").
        fields.append(HTTPField(name: agent, value: "b"))
        fields.append(HTTPField(name: .cookie, value: "a=1"))
        fields.append(HTTPField(name: .cookie, value: "b=2"))
        for name in [agent, .cookie, .contentType, .userAgent, .origin] {
            #expect(fields.value(name) == fields[name], "\(name)")
        }
        #expect(fields.value(agent) == "a, b")
    }

    @Test func theSetCookieIsHummingbirds() {
        for id in ["c-000000000001", "c-ffffffffffff", ClientIdentityMiddleware.newID()] {
            let cookie = Cookie(name: ClientIdentityMiddleware.cookieName, value: id, maxAge: ClientIdentityMiddleware.maxAgeSeconds,
                                path: "/", httpOnly: true, sameSite: .lax)
            // Hummingbird's order of the attributes varies from cookie to cookie; they are the same.
            let ours = ClientIdentityMiddleware.setCookie(id).components(separatedBy: "; ")
            let theirs = cookie.description.components(separatedBy: "; ")
            #expect(ours.first == "\(ClientIdentityMiddleware.cookieName)=\(id)")
            #expect(ours.first == theirs.first)
            #expect(Set(ours) == Set(theirs))
            #expect(ours.count == theirs.count)
        }
    }

    @Test func theClientIsReadFromEitherCookieField() {
        let fields: HTTPFields = [.cookie: "theme=dark", .cookie: "checkout-sim-client=c-00000000abcd; other=1"]
        #expect(ClientIdentityMiddleware.cookie(in: fields) == "c-00000000abcd")
        #expect(ClientIdentityMiddleware.cookie(in: [.cookie: "theme=dark"]) == nil)
        #expect(ClientIdentityMiddleware.cookie(in: [:]) == nil)
    }
}

/// The request log's text line, field by field.
struct RequestLogLineTests {
    final class Lines: @unchecked Sendable {
        var all: [String] = []
    }

    @Test func aTextLineHasEveryFieldInOrder() {
        let lines = Lines()
        let log = RequestLog(format: .text) { lines.all.append($0) }
        log.record(RequestLog.Line(time: "2026-11-30T01:06:44.339Z", peer: "127.0.0.1:5000", method: "POST", path: "/checkout.v1.CheckoutService/X",
                                   status: 200, millis: 12, userAgent: "curl/8", rules: "rotate", journal: "41", fault: nil))
        log.record(RequestLog.Line(time: "t", peer: "p", method: "POST", path: "/a\u{1B}b", status: nil, millis: 0, userAgent: "",
                                   rules: nil, journal: "7", fault: "connection reset"))
        #expect(lines.all == [
            "2026-11-30T01:06:44.339Z 127.0.0.1:5000 POST /checkout.v1.CheckoutService/X 200 12ms #41 rules: rotate \"curl/8\"\n",
            "t p POST \(UntrustedText.escaped("/a\u{1B}b", limit: 200)) - 0ms #7 (connection reset)\n",
        ])
        #expect(!lines.all[1].contains("\u{1B}"))
    }

    @Test func theTimeIsISO8601InUTCWithMilliseconds() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        let samples = [(0, 0), (1_796_030_557, 5), (1_796_030_557, 999), (253_402_300_799, 999)]
            + (0..<500).map { _ in (Int.random(in: 0...4_102_444_800, using: &generator), Int.random(in: 0...999, using: &generator)) }
        for (seconds, millis) in samples {
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000 + 0.0001))
            #expect(RequestLog.timestamp(seconds: seconds, millis: millis) == expected, "\(seconds) \(millis)")
        }
        #expect(RequestLog.timestamp().count == 24)
    }
}

/// The RPCs found by their whole path, beside the router: the same answers as through it.
struct ServeResponderTests {
    @Test func anRPCIsAnsweredAtItsPathUnderThePrefixOnly() async throws {
        try await TestServer(options: ServerOptions(prefix: "/api/")).test { client in
            let first = try await client.post("/api" + Wire.validate, Wire.cart())
            #expect(first.status == .ok)
            #expect(first.headers[.setCookie] != nil, "the middleware ran")
            #expect(first.headers[WireReply.journalHeader] != nil)
            let atRoot = try await client.post(Wire.validate, Wire.cart())
            #expect(atRoot.status.code == 404)
            #expect(Wire.object(atRoot)["code"] as? String == "unimplemented")
        }
    }

    @Test("an RPC with or without an Origin: the client's cookie and the log line either way, CORS headers only with one",
          arguments: [[String](), ["http://shop.test"]])
    func withAndWithoutOrigin(corsOrigins: [String]) async throws {
        let lines = LogLines()
        let log = RequestLog(format: .text) { lines.append($0) }
        try await TestServer(options: ServerOptions(corsOrigins: corsOrigins), log: log).test { client in
            let plain = try await client.post(Wire.validate, Wire.cart())
            #expect(plain.status == .ok)
            #expect(plain.headers[.setCookie] != nil)
            #expect(plain.headers[.accessControlAllowOrigin] == nil)
            for origin in ["http://shop.test", "http://elsewhere.test"] {
                let response = try await client.post(Wire.validate, Wire.cart(), headers: [.contentType: "application/json", .origin: origin])
                #expect(response.status == .ok)
                #expect(response.headers[.setCookie] != nil)
                let allowed = corsOrigins.isEmpty || corsOrigins.contains(origin)
                #expect(response.headers[.accessControlAllowOrigin] == (allowed ? origin : nil), "\(origin)")
            }
        }
        #expect(lines.all.count == 3)
        #expect(lines.all.allSatisfy { $0.contains("POST \(Wire.validate) 200") }, "\(lines.all)")
    }

    @Test func whatIsNotExactlyAnRPCGoesToTheRouter() async throws {
        try await TestServer().test { client in
            // A doubled slash still finds the RPC (through the router's trie), as before.
            let doubled = try await client.post("/checkout.v1.CheckoutService//ValidateOrderItemsInsert", Wire.cart())
            #expect(doubled.status == .ok)
            let unknown = try await client.post("/checkout.v1.CheckoutService/validateOrderItemsInsert", "{}")
            #expect(unknown.status.code == 404)
            #expect(Wire.object(unknown)["code"] as? String == "unimplemented")
            let get = try await client.execute(uri: Wire.validate, method: .get, headers: Wire.json)
            #expect(get.status.code == 405, "the router: that path takes only POST")
            // Through CORS: a preflight of an RPC's path is answered by the middleware.
            let preflight = try await client.execute(uri: Wire.validate, method: .options, headers: CORSAndAdminTests.preflight)
            #expect(preflight.status == .noContent)
        }
    }
}

/// Lines a request log wrote.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}
