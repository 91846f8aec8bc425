import CheckoutCore
import Hummingbird
import HTTPTypes

/// The checks every request passes before anything answers it: its `Host` (DNS rebinding)
/// and, for the admin API, where it comes from and its token (`AdminAccess`).
struct RequestGuard: RouterMiddleware {
    typealias Context = ServerContext

    let hosts: HostPolicy
    let admin: AdminAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let authority = request.head.authority
        guard hosts.allows(authority: authority) else {
            let name = UntrustedText.escaped(authority ?? "", limit: 80)
            return AdminReply.error(.permissionDenied, "Host \"\(name)\" is not served (DNS rebinding protection): use localhost or 127.0.0.1, "
                                    + "or start serve with --allowed-host \(HostPolicy.hostName(authority ?? "").map { UntrustedText.escaped($0, limit: 80) } ?? "NAME")")
        }
        if AdminPath.matches(request.uri.path) {
            let preflight = request.method == .options && request.headers.contains(.accessControlRequestMethod)
            if let refusal = admin.refusal(origin: request.headers[.origin], fetchSite: request.headers[Self.secFetchSite],
                                           authorization: preflight ? nil : request.headers[.authorization], authority: authority),
               !(preflight && (refusal == .missingToken)) {
                let (code, message) = AdminAccess.describe(refusal)
                var reply = AdminReply.error(code, message)
                if code == .unauthenticated { reply.headers[.wwwAuthenticate] = "Bearer" }
                return reply
            }
        }
        return try await next(request, context)
    }

    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
