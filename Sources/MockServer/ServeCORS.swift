import Foundation
import Hummingbird
import HTTPTypes

/// CORS for `serve`: the RPCs and the shop answer any origin (or only the `--cors-origin`
/// ones); the admin API answers only the `--cors-origin` origins, so no other page can read
/// it. The exposed headers go on every reply, not only on the preflight: a browser reads
/// them from the actual response.
struct ServeCORS: RouterMiddleware {
    typealias Context = ServerContext

    /// `--cors-origin`; empty: any origin may call the RPCs, none may read the admin API.
    let corsOrigins: Set<String>

    static let allowHeaders = (ConnectRules.allowedHeaders + ["Authorization"]).joined(separator: ", ")
    static let allowMethods = "GET, POST, DELETE, OPTIONS"
    static let exposeHeaders = ConnectRules.exposedHeaders.joined(separator: ", ")
    static let maxAgeSeconds = "7200"

    /// The `Access-Control-Allow-Origin` a request from `origin` gets, if any.
    func allowedOrigin(_ origin: String, admin: Bool) -> String? {
        guard origin != "null" else { return nil }
        if admin { return corsOrigins.contains(origin) ? origin : nil }
        return corsOrigins.isEmpty || corsOrigins.contains(origin) ? origin : nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let allowed = allowedOrigin(origin, admin: AdminPath.matches(request.uri.path))
        if request.method == .options {
            var headers: HTTPFields = [.vary: "Origin"]
            if let allowed {
                headers[.accessControlAllowOrigin] = allowed
                headers[.accessControlAllowCredentials] = "true"
                headers[.accessControlAllowHeaders] = Self.allowHeaders
                headers[.accessControlAllowMethods] = Self.allowMethods
                headers[.accessControlExposeHeaders] = Self.exposeHeaders
                headers[.accessControlMaxAge] = Self.maxAgeSeconds
            }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        if let allowed {
            response.headers[.accessControlAllowOrigin] = allowed
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlExposeHeaders] = Self.exposeHeaders
        }
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
        return response
    }
}

/// Whether a path reaches the admin API. Any segment named `__admin` counts, whatever the
/// slashes, dots or percent-encoding around it, so no spelling of a path slips past the checks.
enum AdminPath {
    static func matches(_ path: String) -> Bool {
        guard path.contains("_") || path.contains("%") else { return false }
        return path.split(separator: "/").contains { segment in
            (segment.removingPercentEncoding ?? String(segment)).lowercased() == "__admin"
        }
    }
}
