import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import MockBackend

/// The reference web shop at `/`: the seed's client in plain JavaScript (webshop/, embedded
/// by scripts/embed-webshop.sh), calling the service at its prefix, with the mock bank's
/// 3-D Secure page and the order page it returns to. Every file is sent with
/// `Cache-Control: no-store` and a Content-Security-Policy that allows only this origin's
/// scripts, styles and calls.
struct WebShop: Sendable {
    /// A file ready to send.
    struct File: Sendable {
        var contentType: String
        var body: Data
    }

    /// What the page's `<meta name="checkout-sim-service-base">` says in the HTML sources.
    static let serviceBasePlaceholder = "{{SERVICE_BASE}}"
    /// What the page's `<meta name="checkout-sim-client-rules">` says in the HTML sources: the
    /// client policies' table (`ClientPolicy.tableJSON`), which the pages' JavaScript reads.
    static let clientRulesPlaceholder = "{{CLIENT_RULES}}"
    /// The table, escaped for an HTML attribute.
    static let clientRulesAttribute = ClientPolicy.tableJSON.replacingOccurrences(of: "&", with: "&amp;")
        .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    /// Served files by path.
    let files: [String: File]
    let orderPage: File
    let notFoundPage: File
    /// Path starts under which an unknown GET is an API's 404 (JSON), not the shop's page.
    let apiRoots: [String]

    /// `serviceBase` is the service's path prefix (`""` or `/api`); the pages call the service there.
    init(serviceBase: String, catalog: Catalog) {
        let sources = Dictionary(Self.sources, uniquingKeysWith: { first, _ in first })
        let base = serviceBase.addingPercentEncoding(withAllowedCharacters: Self.safePathCharacters) ?? ""
        func file(_ name: String) -> File {
            let text = sources[name] ?? ""
            if name.hasSuffix(".html") {
                return File(contentType: "text/html; charset=utf-8",
                            body: Data(text.replacingOccurrences(of: Self.serviceBasePlaceholder, with: base)
                                .replacingOccurrences(of: Self.clientRulesPlaceholder, with: Self.clientRulesAttribute).utf8))
            }
            return File(contentType: name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", body: Data(text.utf8))
        }
        var files = ["/": file("index.html"), "/bank/3ds": file("bank.html"),
                     "/catalog.json": File(contentType: "application/json", body: Self.catalogJSON(catalog))]
        for (name, _) in Self.sources where !name.hasSuffix(".html") {
            files["/assets/\(name)"] = file(name)
        }
        self.files = files
        orderPage = file("order.html")
        notFoundPage = file("404.html")
        apiRoots = ["/__admin/", "\(serviceBase)/\(CheckoutServer.servicePath)/"]
    }

    func register(on router: Router<ServerContext>) {
        for (path, file) in files {
            router.get(RouterPath(path)) { _, _ in Self.reply(file) }
        }
        router.get("order/:intent") { _, _ in Self.reply(orderPage) }
        // The router has no route for the rest (a catch-all would not be reached below a matched segment).
        router.add(middleware: NotFoundPage(shop: self))
    }

    /// What an unknown `GET` gets: 405 on the service's paths, a JSON 404 under the admin API, the 404 page elsewhere.
    func notFound(_ path: String) -> Response {
        if path.hasPrefix(apiRoots[1]) {
            // The service's procedures are unary POSTs: a GET is the wrong method, not a missing path.
            var reply = WireReply.error(RPCStatus(code: .unimplemented, message: "\(UntrustedText.escaped(path, limit: 120)) takes POST (Connect unary), not GET"),
                                        format: .connectJSON, httpStatus: 405)
            reply.headers[.allow] = "POST, OPTIONS"
            return reply
        }
        guard !apiRoots.contains(where: { path.hasPrefix($0) }) else {
            return WireReply.error(RPCStatus(code: .notFound, message: "no GET endpoint \(UntrustedText.escaped(path, limit: 120))"),
                                   format: .connectJSON, httpStatus: 404)
        }
        return Self.reply(notFoundPage, status: .notFound)
    }

    static func reply(_ file: File, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: file.contentType,
            .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy,
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
        ], body: ResponseBody(byteBuffer: ByteBuffer(bytes: file.body)))
    }

    /// Letters, digits, `-._~/`: anything else in a prefix is percent-encoded, so it is inert in an attribute.
    static let safePathCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")

    /// The products the backend sells, for the shop's product list.
    static func catalogJSON(_ catalog: Catalog) -> Data {
        struct Product: Encodable {
            var sku: String
            var name: String
            var price_cents: Int64
            var stock: Int
        }
        struct Body: Encodable {
            var currency = "EUR"
            var products: [Product]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let products = catalog.products.map { Product(sku: $0.sku, name: $0.name, price_cents: $0.priceCents, stock: $0.stock) }
        return (try? encoder.encode(Body(products: products))) ?? Data("{}".utf8)
    }
}

/// Turns the router's "no route" for a `GET` into the shop's 404 page (or the API's JSON 404).
struct NotFoundPage: RouterMiddleware {
    typealias Context = ServerContext
    let shop: WebShop

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.method == .get {
            return shop.notFound(request.uri.path)
        }
    }
}
