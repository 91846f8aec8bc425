import CheckoutCore
import Foundation
import HTTPTypes

/// Who may call the admin API (`/__admin/`): scripts and test code (no `Origin`), a page
/// of the server's own origin, and the `--cors-origin` origins; with a token, only
/// callers that present it. A page of any other site is refused, whatever the method:
/// a form or a `no-cors` fetch can change state without ever reading the reply.
public struct AdminAccess: Sendable, Equatable {
    /// `--cors-origin`: pages that may call and read the admin API.
    public var corsOrigins: [String]
    /// `Authorization: Bearer` this, when set (`--admin-token`, or generated for a non-loopback bind).
    public var token: String?

    public init(corsOrigins: [String] = [], token: String? = nil) {
        self.corsOrigins = corsOrigins
        self.token = token
    }

    /// Why a request is refused, or `nil` when it may go on.
    public enum Refusal: Equatable, Sendable {
        case crossOrigin(String)
        case crossSite(String)
        case missingToken
        case wrongToken
    }

    /// Judges an admin request from its `Origin`, `Sec-Fetch-Site`, `Authorization` and `Host`.
    public func refusal(origin: String?, fetchSite: String?, authorization: String?, authority: String?) -> Refusal? {
        if let origin {
            if !isOwn(origin, authority: authority), !corsOrigins.contains(origin) { return .crossOrigin(origin) }
        } else if let fetchSite, !["same-origin", "none"].contains(fetchSite.lowercased()) {
            // A browser that sent no Origin (a GET navigation) still says where the request came from.
            return .crossSite(fetchSite)
        }
        guard let token else { return nil }
        guard let authorization else { return .missingToken }
        let given = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
        return Self.constantTimeEqual(given, token) ? nil : .wrongToken
    }

    /// `http://HOST` or `https://HOST` where HOST is the request's own `Host`.
    func isOwn(_ origin: String, authority: String?) -> Bool {
        guard let authority, !authority.isEmpty else { return false }
        let host = authority.lowercased()
        let origin = origin.lowercased()
        return origin == "http://" + host || origin == "https://" + host
    }

    /// The status and message a refused request gets.
    public static func describe(_ refusal: Refusal) -> (code: RPCCode, message: String) {
        switch refusal {
        case .crossOrigin(let origin):
            return (.permissionDenied, "the admin API refuses calls from pages of another origin (Origin: \(UntrustedText.escaped(origin, limit: 80))); "
                    + "start serve with --cors-origin \(UntrustedText.escaped(origin, limit: 80)) to allow that page, or call it without a browser")
        case .crossSite(let site):
            return (.permissionDenied, "the admin API refuses requests a browser marks Sec-Fetch-Site: \(UntrustedText.escaped(site, limit: 20))")
        case .missingToken:
            return (.unauthenticated, "the admin API needs Authorization: Bearer TOKEN (the token serve printed, or --admin-token)")
        case .wrongToken:
            return (.unauthenticated, "the admin token does not match")
        }
    }

    /// Compares without stopping at the first difference, so the time taken tells nothing of the token.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }

    /// A new random token: 32 hex digits.
    public static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt32, radix: 16).leftPaddedHex(8) }.joined()
    }
}

private extension String {
    func leftPaddedHex(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
