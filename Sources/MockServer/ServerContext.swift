import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The request context of `serve`: Hummingbird's core plus the connection, so a
/// fault can close or reset it for real.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP connection the request came on.
    public let channel: any Channel
    /// Who sent the request (set by the client identity middleware).
    public var client = ClientTag.none

    /// `127.0.0.1:53012`, or `unknown` (read once: the request log and the journal both want it).
    public let peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        peer = PeerNames.shared.name(of: source.channel)
    }

    /// Request bodies larger than this get 413.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    /// `127.0.0.1:53012` for `channel`, or `unknown`.
    static func peer(of channel: any Channel) -> String {
        guard let address = channel.remoteAddress else { return "unknown" }
        if let ip = address.ipAddress, let port = address.port { return address.protocol == .inet6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }
        return "\(address)"
    }
}

/// Each open connection's peer, formatted once: every request on it logs and journals it.
final class PeerNames: Sendable {
    static let shared = PeerNames()

    private let names = Mutex<[ObjectIdentifier: String]>([:])

    /// The peer of `channel`; kept until the connection closes.
    func name(of channel: any Channel) -> String {
        let id = ObjectIdentifier(channel)
        if let known = names.withLock({ $0[id] }) { return known }
        let name = ServerContext.peer(of: channel)
        names.withLock { $0[id] = name }
        // Registered after the name is kept, so that it is forgotten even if the connection has closed already.
        channel.closeFuture.whenComplete { _ in self.names.withLock { _ = $0.removeValue(forKey: id) } }
        return name
    }

    /// How many connections' names are kept.
    var count: Int { names.withLock { $0.count } }
}
