import CheckoutCore
import Hummingbird

/// The responder of `serve`: one chain of middleware that every request passes (the
/// request log and the client's identity, the Host and admin checks, CORS), then the
/// three RPCs straight to their handler and everything else through the router.
///
/// An RPC's path is compared whole: the router's trie reads it a `Character` at a time.
/// Anything that is not exactly an RPC's path and a POST (an unknown method, a doubled
/// slash) goes to the router, behind the same chain.
struct ServeResponder: HTTPResponder {
    typealias Context = ServerContext

    /// The chain and what it ends in.
    let chain: any HTTPResponder<ServerContext>

    init(middleware: [any RouterMiddleware<ServerContext>], router: RouterResponder<ServerContext>,
         rpcs: [String: any HTTPResponder<ServerContext>]) {
        let dispatch = Dispatch(router: router, rpcs: rpcs)
        chain = middleware.reversed().reduce(dispatch as any HTTPResponder<ServerContext>) { next, middleware in
            CallbackResponder { request, context in
                try await middleware.handle(request, context: context) { try await next.respond(to: $0, context: $1) }
            }
        }
    }

    /// Each RPC's handler by its path under `servicePath` (`/api/checkout.v1.CheckoutService`).
    static func rpcs(under servicePath: String, _ rpc: RPCHandler) -> [String: any HTTPResponder<ServerContext>] {
        var rpcs: [String: any HTTPResponder<ServerContext>] = [:]
        for method in RPCMethod.allCases {
            let name = method.shortName
            rpcs["\(servicePath)/\(name)"] = CallbackResponder { (request: Request, context: ServerContext) in
                try await rpc.handle(request, context: context, methodName: name)
            }
        }
        return rpcs
    }

    func respond(to request: Request, context: ServerContext) async throws -> Response {
        try await chain.respond(to: request, context: context)
    }

    /// The end of the chain: an RPC by its whole path, or the router.
    private struct Dispatch: HTTPResponder {
        typealias Context = ServerContext
        let router: RouterResponder<ServerContext>
        let rpcs: [String: any HTTPResponder<ServerContext>]

        func respond(to request: Request, context: ServerContext) async throws -> Response {
            if let rpc = rpcs[request.uri.path] {
                switch request.method {
                case .post: return try await rpc.respond(to: request, context: context)
                case .options, .get: break
                default: return Self.wrongMethod(request)
                }
            }
            return try await router.respond(to: request, context: context)
        }

        /// A procedure takes POST: PUT, DELETE, PATCH or HEAD get 405, as GET does.
        static func wrongMethod(_ request: Request) -> Response {
            var reply = WireReply.error(RPCStatus(code: .unimplemented, message: "\(UntrustedText.escaped(request.uri.path, limit: 120)) takes POST (Connect unary), not \(UntrustedText.escaped(request.method.rawValue, limit: 20))"),
                                        format: .connectJSON, httpStatus: 405)
            reply.headers[.allow] = "POST, OPTIONS"
            if request.method == .head { reply.body = ResponseBody() }
            return reply
        }
    }
}
