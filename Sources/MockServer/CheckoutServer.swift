import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Where and how `serve` listens.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 8787
    /// A path before the service's, e.g. `/api`.
    public var prefix = ""
    /// Origins a browser front end may call from; empty: any.
    public var corsOrigins: [String] = []

    public init(host: String = "127.0.0.1", port: Int = 8787, prefix: String = "", corsOrigins: [String] = []) {
        self.host = host
        self.port = port
        self.prefix = prefix
        self.corsOrigins = corsOrigins
    }

    /// Whether only this machine can connect.
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }
}

/// The HTTP front end of the one backend: Connect and gRPC-Web at
/// `/checkout.v1.CheckoutService/<Method>`, the admin API at `/__admin/`, the
/// reference web shop at `/`, CORS.
public enum CheckoutServer {
    /// The service's path.
    public static let servicePath = "checkout.v1.CheckoutService"

    /// What answers every request: the router, with the RPCs found without its trie.
    static func responder(host: BackendHost, options: ServerOptions, log: RequestLog?) -> ServeResponder {
        let (router, rpcs) = routes(host: host, options: options, log: log)
        return ServeResponder(router: router.buildResponder(), rpcs: rpcs)
    }

    /// The router: handlers stay thin (decode, call the host, encode).
    public static func router(host: BackendHost, options: ServerOptions, log: RequestLog?) -> Router<ServerContext> {
        routes(host: host, options: options, log: log).router
    }

    /// The router, and each RPC's responder by its path, behind the same middleware as its route.
    private static func routes(host: BackendHost, options: ServerOptions,
                               log: RequestLog?) -> (router: Router<ServerContext>, rpcs: [String: ServeResponder.RPCRoute]) {
        let router = Router(context: ServerContext.self)
        if !options.corsOrigins.isEmpty { router.add(middleware: OriginFilter(allowed: Set(options.corsOrigins))) }
        router.add(middleware: CORSMiddleware(
            allowOrigin: .originBased,
            allowHeaders: ConnectRules.allowedHeaders.compactMap { HTTPField.Name($0) },
            allowMethods: [.get, .post, .delete, .options],
            allowCredentials: true,
            exposedHeaders: ConnectRules.exposedHeaders,
            maxAge: .seconds(7200)))
        // The last middleware before the RPCs: `ServeResponder` runs it alone for a request without an Origin.
        let identity = ClientIdentityMiddleware(log: log)
        router.add(middleware: identity)
        let rpc = RPCHandler(host: host)
        let prefix = options.prefix.split(separator: "/").joined(separator: "/")
        let service = prefix.isEmpty ? servicePath : "\(prefix)/\(servicePath)"
        router.post("\(service)/:method") { request, context in
            try await rpc.handle(request, context: context, methodName: context.parameters.get("method") ?? "")
        }
        let rpcs = ServeResponder.rpcs(under: "/" + service, behind: router.middlewares, identity: identity, rpc)
        AdminAPI(host: host).register(on: router)
        WebShop(serviceBase: prefix.isEmpty ? "" : "/\(prefix)", catalog: host.withBackend { backend, _ in backend.catalog })
            .register(on: router)
        router.post("**") { request, _ in
            WireReply.error(RPCStatus(code: .unimplemented, message: "no such procedure \(UntrustedText.escaped(request.uri.path, limit: 120)) (the service is at /\(service)/)"),
                            format: .connectJSON, httpStatus: 404)
        }
        return (router, rpcs)
    }

    /// The application, ready to run; `onListening` gets the bound port. Every connection is
    /// bounded by `limits` (timeouts, how many stay open).
    public static func application(host: BackendHost, options: ServerOptions, log: RequestLog?, limits: TransportLimits = TransportLimits(),
                                   onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        var logger = Logger(label: "checkout-sim")
        logger.logLevel = .critical
        let limiter = ConnectionLimiter(limit: limits.maxConnections)
        return Application(
            responder: responder(host: host, options: options, log: log),
            server: HTTPServerBuilder { responder in GuardedHTTP1Channel(responder: responder, limits: limits, limiter: limiter) },
            configuration: ApplicationConfiguration(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? options.port) },
            logger: logger)
    }
}

/// `--cors-origin`: a request from another origin is answered without CORS
/// headers (Hummingbird's CORS middleware added them inside), so the browser refuses it.
struct OriginFilter: RouterMiddleware {
    typealias Context = ServerContext
    let allowed: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard let origin = request.headers[.origin], !allowed.contains(origin) else { return response }
        for name in [HTTPField.Name.accessControlAllowOrigin, .accessControlAllowCredentials, .accessControlAllowHeaders,
                     .accessControlAllowMethods, .accessControlExposeHeaders, .accessControlMaxAge] {
            response.headers[name] = nil
        }
        return response
    }
}
