import Foundation
import HTTPTypes
import Hummingbird
@testable import MockServer
import Testing

/// The reference web shop's routes through Hummingbird's router: content types, headers,
/// the prefix the pages call, 404s, and addresses that try to inject markup.
struct WebShopTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the shop inside the binary is webshop/ exactly (scripts/embed-webshop.sh regenerates it)")
    func embeddedFilesAreCurrent() throws {
        let folder = Self.root.appendingPathComponent("webshop")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(WebShop.sources.map(\.name) == names, "run scripts/embed-webshop.sh")
        for (name, text) in WebShop.sources {
            let onDisk = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text == onDisk, "\(name) differs from webshop/\(name): run scripts/embed-webshop.sh")
        }
    }

    @Test("pages, scripts, styles and the catalog: their content types, no-store and the CSP", arguments: [
        ("/", "text/html; charset=utf-8", #"data-page="shop""#),
        ("/bank/3ds", "text/html; charset=utf-8", #"data-page="bank""#),
        ("/order/pi_000001_abcdef", "text/html; charset=utf-8", #"data-page="order""#),
        ("/assets/shop.css", "text/css; charset=utf-8", ".toast"),
        ("/assets/lib.js", "text/javascript; charset=utf-8", "checkout-idempotency-key"),
        ("/assets/shop.js", "text/javascript; charset=utf-8", "validateCartItems"),
        ("/assets/bank.js", "text/javascript; charset=utf-8", "CompleteRedirect"),
        ("/assets/order.js", "text/javascript; charset=utf-8", "redirect_status"),
        ("/catalog.json", "application/json", #""sku":"POSTER","stock":0"#),
    ])
    func served(path: String, contentType: String, contains: String) async throws {
        try await TestServer().test { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .ok, "\(path)")
            #expect(response.headers[.contentType] == contentType, "\(path)")
            #expect(response.headers[.cacheControl] == "no-store", "\(path)")
            #expect(response.headers[.contentSecurityPolicy] == WebShop.contentSecurityPolicy, "\(path)")
            #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
            #expect(Wire.text(response).contains(contains), "\(path): \(Wire.text(response).prefix(200))")
        }
    }

    @Test("the CSP lets only this origin's scripts, styles and calls run")
    func contentSecurityPolicy() {
        let policy = WebShop.contentSecurityPolicy
        for directive in ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "base-uri 'none'", "frame-ancestors 'none'"] {
            #expect(policy.contains(directive), "\(directive)")
        }
        #expect(!policy.contains("unsafe"))
    }

    @Test("the pages call the service at --prefix", arguments: [("", ""), ("api", "/api"), ("/api/", "/api"), ("/v1/shop", "/v1/shop")])
    func prefix(option: String, base: String) async throws {
        try await TestServer(options: ServerOptions(prefix: option)).test { client in
            for page in ["/", "/bank/3ds", "/order/pi_1"] {
                let text = Wire.text(try await client.execute(uri: page, method: .get))
                #expect(text.contains(#"<meta name="checkout-sim-service-base" content="\#(base)">"#), "\(page) with --prefix \(option)")
                #expect(!text.contains(WebShop.serviceBasePlaceholder))
            }
            let validation = try await client.post("\(base)/checkout.v1.CheckoutService/ValidateOrderItemsInsert", Wire.cart())
            #expect(validation.status == .ok, "the service is where the page calls it")
        }
    }

    @Test("a prefix cannot break out of the page's attribute")
    func hostilePrefix() async throws {
        try await TestServer(options: ServerOptions(prefix: #"/a"><script>alert(1)</script>"#)).test { client in
            let text = Wire.text(try await client.execute(uri: "/", method: .get))
            #expect(text.contains(#"content="/a%22%3E%3Cscript%3Ealert%281%29%3C/script%3E""#), "\(text.prefix(400))")
            #expect(!text.contains("<script>alert"))
        }
    }

    @Test("unknown pages get the 404 page; unknown admin paths a JSON 404; a GET of a procedure 405; POST elsewhere stays Connect's 404")
    func notFound() async throws {
        try await TestServer().test { client in
            for path in ["/nope", "/assets/nope.js", "/order/a/b", "/bank", "/bank/3ds/x", "/index.html", "/assets/../Package.swift", "/__adminx"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(response.headers[.contentSecurityPolicy] == WebShop.contentSecurityPolicy, "\(path)")
                #expect(Wire.text(response).contains(#"data-testid="not-found""#), "\(path)")
            }
            for path in ["/__admin/nope", "/__admin/rules/1"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "application/json", "\(path)")
                #expect(Wire.object(response)["code"] as? String == "not_found", "\(path): \(Wire.text(response))")
            }
            for path in ["/checkout.v1.CheckoutService/ValidateOrderItemsInsert", "/checkout.v1.CheckoutService/Nope"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .methodNotAllowed, "\(path)")
                #expect(response.headers[.allow] == "POST, OPTIONS", "\(path)")
                #expect(Wire.object(response)["code"] as? String == "unimplemented", "\(path): \(Wire.text(response))")
            }
            let health = try await client.execute(uri: "/__admin/health", method: .get)
            #expect(Wire.object(health)["status"] as? String == "ok")
            let post = try await client.post("/nope", "{}")
            #expect(post.status == .notFound && Wire.object(post)["code"] as? String == "unimplemented", "\(Wire.text(post))")
        }
    }

    @Test("query strings and paths are never reflected: the page is the same bytes", arguments: [
        ("/", "/?bug=%3Cscript%3Ealert(1)%3C/script%3E"),
        ("/", "/?bug=forget-key&x=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E"),
        ("/bank/3ds", "/bank/3ds?payment_intent=%3Cscript%3E&return_url=javascript:alert(1)"),
        ("/order/pi_1", "/order/%3Cimg%20src=x%20onerror=alert(1)%3E?redirect_status=%3Cb%3E"),
        ("/nope", "/%3Cscript%3Ealert(1)%3C/script%3E?q=%3Cb%3E"),
    ])
    func hostileAddresses(plain: String, hostile: String) async throws {
        try await TestServer().test { client in
            let expected = try await client.execute(uri: plain, method: .get)
            let response = try await client.execute(uri: hostile, method: .get)
            #expect(response.status == expected.status, "\(hostile)")
            #expect(Wire.text(response) == Wire.text(expected), "\(hostile) changed the page")
        }
    }

    @Test("the scripts never write HTML, and the pages have no inline script or style (the CSP forbids them)")
    func scriptsWriteTextOnly() {
        for (name, text) in WebShop.sources {
            if name.hasSuffix(".js") {
                for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "setAttribute(\"on"] {
                    #expect(!text.contains(sink), "\(name) uses \(sink)")
                }
            }
            if name.hasSuffix(".html") {
                let scripts = text.ranges(of: "<script").count
                #expect(scripts == text.ranges(of: "<script src=\"/assets/").count, "\(name): only scripts of this site")
                #expect(!text.contains(" style=") && !text.contains("<style") && !text.contains(" onclick="), "\(name)")
            }
        }
    }

    @Test("every script and style a page names is served")
    func referencedAssetsExist() async throws {
        let names = WebShop.sources.filter { $0.name.hasSuffix(".html") }.flatMap { page in
            page.text.matches(of: /(?:src|href)="(\/assets\/[^"]+)"/).map { String($0.1) }
        }
        #expect(Set(names).count >= 5)
        try await TestServer().test { client in
            for path in Set(names) {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
            }
        }
    }
}
