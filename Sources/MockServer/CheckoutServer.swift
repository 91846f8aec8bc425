import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Where and how `serve` listens, and who it answers.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port = 8787
    /// A path before the service's, e.g. `/api`.
    public var prefix = ""
    /// Origins a browser front end may call from; empty: any. Only these may read the admin API.
    public var corsOrigins: [String] = []
    /// `--allowed-host`: names besides loopback and the bound address that `Host` may carry.
    public var allowedHosts: [String] = []
    /// The admin API's bearer token; required on a non-loopback bind.
    public var adminToken: String?

    public init(host: String = "127.0.0.1", port: Int = 8787, prefix: String = "", corsOrigins: [String] = [],
                allowedHosts: [String] = [], adminToken: String? = nil) {
        self.host = host
        self.port = port
        self.prefix = prefix
        self.corsOrigins = corsOrigins
        self.allowedHosts = allowedHosts
        self.adminToken = adminToken
    }

    /// Whether only this machine can connect.
    public var isLoopback: Bool { HostPolicy.isLoopback(HostPolicy.normalized(host)) }

    /// The `Host` check of every request.
    public var hostPolicy: HostPolicy { HostPolicy(boundHost: host, allowedHosts: allowedHosts) }

    /// Who may call the admin API.
    public var adminAccess: AdminAccess { AdminAccess(corsOrigins: corsOrigins, token: adminToken) }
}

/// The HTTP front end of the one backend: Connect and gRPC-Web at
/// `/checkout.v1.CheckoutService/<Method>`, the admin API at `/__admin/`, the
/// reference web shop at `/`, CORS.
public enum CheckoutServer {
    /// The service's path.
    public static let servicePath = "checkout.v1.CheckoutService"

    /// What answers every request: one chain of middleware (`extra` last, for tests), then
    /// the RPCs by their whole path or the router.
    static func responder(host: BackendHost, options: ServerOptions, log: RequestLog?,
                          extra: [any RouterMiddleware<ServerContext>] = []) -> ServeResponder {
        let (router, rpcs) = routes(host: host, options: options)
        let middleware: [any RouterMiddleware<ServerContext>] = [
            ClientIdentityMiddleware(log: log),
            RequestGuard(hosts: options.hostPolicy, admin: options.adminAccess),
            ServeCORS(corsOrigins: Set(options.corsOrigins)),
        ] + extra
        return ServeResponder(middleware: middleware, router: router.buildResponder(), rpcs: rpcs)
    }

    /// The router (the admin API, the shop, the RPCs' route for paths the whole-path lookup
    /// misses), and each RPC's handler by its path. Handlers stay thin: decode, call the host, encode.
    private static func routes(host: BackendHost, options: ServerOptions) -> (router: Router<ServerContext>, rpcs: [String: any HTTPResponder<ServerContext>]) {
        let router = Router(context: ServerContext.self)
        let rpc = RPCHandler(host: host)
        let prefix = options.prefix.split(separator: "/").joined(separator: "/")
        let service = prefix.isEmpty ? servicePath : "\(prefix)/\(servicePath)"
        router.post("\(service)/:method") { request, context in
            try await rpc.handle(request, context: context, methodName: context.parameters.get("method") ?? "")
        }
        let rpcs = ServeResponder.rpcs(under: "/" + service, rpc)
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
