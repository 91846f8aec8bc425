import NIOCore
import NIOEmbedded
import Testing
@testable import MockServer

@Suite("The peer of each connection, formatted once")
struct PeerNamesTests {
    @Test("a connection's peer is kept while it is open and forgotten once it closes")
    func keptUntilClosed() throws {
        let names = PeerNames()
        let first = EmbeddedChannel(), second = EmbeddedChannel()
        try first.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 53012)).wait()
        try second.connect(to: SocketAddress(ipAddress: "::1", port: 8)).wait()
        #expect(names.name(of: first) == "127.0.0.1:53012")
        #expect(names.name(of: first) == "127.0.0.1:53012")
        #expect(names.name(of: second) == "[::1]:8")
        #expect(names.count == 2)
        _ = try first.finish()
        #expect(names.count == 1)
        _ = try second.finish()
        #expect(names.count == 0)
    }

    @Test("a connection closed before its first request is not kept")
    func closedAlready() throws {
        let names = PeerNames()
        let channel = EmbeddedChannel()
        _ = try channel.finish()
        #expect(names.name(of: channel) == "unknown")
        #expect(names.count == 0)
    }
}
