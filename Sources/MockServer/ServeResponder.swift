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
    let rpcs: [String: any HTTPResponder<ServerContext>]

    /// Each RPC's responder by its path under `servicePath` (`/api/checkout.v1.CheckoutService`),
    /// behind `middleware` as it is when the RPCs' route is added (so, as that route).
    static func rpcs(under servicePath: String, behind middleware: MiddlewareGroup<ServerContext>,
                     _ rpc: RPCHandler) -> [String: any HTTPResponder<ServerContext>] {
        var rpcs: [String: any HTTPResponder<ServerContext>] = [:]
        for method in RPCMethod.allCases {
            let name = method.shortName
            rpcs["\(servicePath)/\(name)"] = middleware.constructResponder(finalResponder: CallbackResponder { request, context in
                try await rpc.handle(request, context: context, methodName: name)
            })
        }
        return rpcs
    }

    func respond(to request: Request, context: ServerContext) async throws -> Response {
        if request.method == .post, let rpc = rpcs[request.uri.path] {
            return try await rpc.respond(to: request, context: context)
        }
        return try await router.respond(to: request, context: context)
    }
}
