import Foundation
import HTTPTypes
import Hummingbird
import MockBackend
import Synchronization

/// Which client sent a request, so the lint judges each browser on its own:
/// the `Checkout-Sim-Client` header (test code), else the `checkout-sim-client`
/// cookie, else a new id, set as that cookie on the response.
public struct ClientTag: Sendable, Equatable {
    /// `""` when the request named none and none was given (admin calls, preflights).
    public var id: String
    /// The id was made for this request; the client may never send it back (curl without a cookie jar).
    public var isNew: Bool

    public init(id: String, isNew: Bool) {
        self.id = id
        self.isNew = isNew
    }

    public static let none = ClientTag(id: "", isNew: false)
}

/// Tells which client sent each request (`ClientTag`, set on the context), giving a new
/// one its cookie; and, when there is a request log, logs the request once answered.
/// Both in one middleware, as each middleware is one more async call on every request.
struct ClientIdentityMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    /// `serve --headless`'s log, one line per request.
    var log: RequestLog?

    static let cookieName = "checkout-sim-client"
    static let header = HTTPField.Name("Checkout-Sim-Client")!
    /// A year: the browser stays one client across restarts of the server.
    static let maxAgeSeconds = 365 * 24 * 3600

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var newID: String?
        if let id = Self.valid(request.headers.value(Self.header)) ?? Self.valid(Self.cookie(in: request.headers)) {
            context.client = ClientTag(id: id, isNew: false)
        } else if request.method != .options, !request.uri.path.hasPrefix("/__admin") {
            let id = Self.newID()
            context.client = ClientTag(id: id, isNew: true)
            newID = id
        }
        var response: Response
        if let log {
            response = try await log.logging(request, context: context, next)
        } else {
            response = try await next(request, context)
        }
        if let newID { response.headers.append(HTTPField(name: .setCookie, value: Self.setCookie(newID))) }
        return response
    }

    /// The client's id from the `Cookie` field, if it sent one.
    static func cookie(in headers: HTTPFields) -> String? {
        guard let field = headers.value(.cookie) else { return nil }
        return Cookies(from: [field])[cookieName]?.value
    }

    /// `Set-Cookie` for a new id: the attributes Hummingbird's `Cookie` writes for it (a test
    /// holds the two to the same ones), in a fixed order, without building one per request.
    static func setCookie(_ id: String) -> String { cookieName + "=" + id + setCookieAttributes }

    private static let setCookieAttributes = "; Max-Age=\(maxAgeSeconds); Path=/; HttpOnly; SameSite=Lax"

    /// An id of 1–64 letters, digits, `-` or `_`; anything else is ignored (and a new one given).
    static func valid(_ text: String?) -> String? {
        guard let text, (1...64).contains(text.utf8.count),
              text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F })
        else { return nil }
        return text
    }

    /// `c-` and 12 hex digits.
    static func newID() -> String {
        "c-" + String(ids.next() & 0xFFFF_FFFF_FFFF, radix: 16).leftPadded(to: 12)
    }

    private static let ids = ClientIDSource()
}

/// Numbers for new client ids, seeded once from the system so that a request without a
/// client costs no `getrandom` call (ids tell browsers apart; they are not secrets).
private final class ClientIDSource: Sendable {
    private let generator = Mutex(SeededGenerator(seed: UInt64.random(in: .min ... .max)))

    func next() -> UInt64 { generator.withLock { $0.next() } }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
