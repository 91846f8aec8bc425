import CheckoutCore
import Hummingbird

/// The responder of `serve`: the three RPCs go straight to their handler, through the
/// router's middleware (CORS; the client's identity and the request log), and every other
/// request through the router.
///
/// The router finds a route by walking its trie a `Character` at a time, about 27,000
/// instructions for an RPC's path (some 6% of a validation); an RPC's path is instead
/// compared whole. Anything that is not exactly an RPC's path and a POST (an unknown
/// method, a doubled slash) goes to the router, which answers it as before.
struct ServeResponder: HTTPResponder {
    typealias Context = ServerContext

    let router: RouterResponder<ServerContext>
    /// By path (`/checkout.v1.CheckoutService/ConfirmPayment`, after the prefix if any).
    let rpcs: [String: RPCRoute]

    /// An RPC's responders: behind its route's whole middleware, and behind the client's
    /// identity alone, for a request without an `Origin` header (one that CORS and the
    /// `--cors-origin` filter pass on unchanged: curl, test code, other servers).
    struct RPCRoute {
        let full: any HTTPResponder<ServerContext>
        let withoutOrigin: any HTTPResponder<ServerContext>
    }

    /// Each RPC's responders by its path under `servicePath` (`/api/checkout.v1.CheckoutService`):
    /// behind `middleware` as it is when the RPCs' route is added (so, as that route), and
    /// behind `identity`, the last of that middleware, alone.
    static func rpcs(under servicePath: String, behind middleware: MiddlewareGroup<ServerContext>,
                     identity: ClientIdentityMiddleware, _ rpc: RPCHandler) -> [String: RPCRoute] {
        var rpcs: [String: RPCRoute] = [:]
        for method in RPCMethod.allCases {
            let name = method.shortName
            let handler = CallbackResponder { (request: Request, context: ServerContext) in
                try await rpc.handle(request, context: context, methodName: name)
            }
            let withoutOrigin = CallbackResponder { (request: Request, context: ServerContext) in
                try await identity.handle(request, context: context) { try await rpc.handle($0, context: $1, methodName: name) }
            }
            rpcs["\(servicePath)/\(name)"] = RPCRoute(full: middleware.constructResponder(finalResponder: handler), withoutOrigin: withoutOrigin)
        }
        return rpcs
    }

    func respond(to request: Request, context: ServerContext) async throws -> Response {
        if request.method == .post, let rpc = rpcs[request.uri.path] {
            let responder = request.headers.contains(.origin) ? rpc.full : rpc.withoutOrigin
            return try await responder.respond(to: request, context: context)
        }
        return try await router.respond(to: request, context: context)
    }
}
