import Foundation

/// Which `Host` a request may name (DNS rebinding): a page on `evil.example` whose name
/// resolves to 127.0.0.1 reaches the server with `Host: evil.example`, so only names
/// that cannot be rebound are served, as Vite's `server.allowedHosts` does.
public struct HostPolicy: Sendable, Equatable {
    /// The address the server is bound to (`127.0.0.1`, `0.0.0.0`, a name).
    public var boundHost: String
    /// `--allowed-host`: a name, or `.example.test` for it and every name under it.
    public var allowedHosts: [String]

    public init(boundHost: String, allowedHosts: [String] = []) {
        self.boundHost = boundHost
        self.allowedHosts = allowedHosts
    }

    /// Whether a request whose `Host` is `authority` (`name[:port]`, `[v6]:port`) is served.
    /// A request without one (HTTP/1.0) is: a browser always sends it.
    public func allows(authority: String?) -> Bool {
        guard let authority, !authority.isEmpty else { return true }
        guard let name = Self.hostName(authority) else { return false }
        if Self.isLoopback(name) || name == Self.normalized(boundHost) { return true }
        // An address can't be rebound; on a wildcard bind the LAN reaches us by the machine's own addresses.
        if Self.isWildcard(boundHost), Self.isAddress(name) { return true }
        return allowedHosts.contains { allowed in
            let allowed = Self.normalized(allowed)
            if allowed.hasPrefix(".") { return name == String(allowed.dropFirst()) || name.hasSuffix(allowed) }
            return name == allowed
        }
    }

    /// The name of `authority`, lowercased, without port, brackets or a trailing dot; `nil` when malformed.
    public static func hostName(_ authority: String) -> String? {
        var text = Substring(authority)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber)) else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
            return normalized(String(text))
        }
        if let colon = text.lastIndex(of: ":") {
            let port = text[text.index(after: colon)...]
            guard port.allSatisfy(\.isNumber), !text[..<colon].contains(":") else { return nil }
            text = text[..<colon]
        }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "@") }) else { return nil }
        return normalized(String(text))
    }

    static func normalized(_ name: String) -> String {
        var name = name.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        while name.hasSuffix("."), name.count > 1 { name.removeLast() }
        return name
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8, `::1`.
    static func isLoopback(_ name: String) -> Bool {
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        var address = in_addr()
        return inet_pton(AF_INET, name, &address) == 1 && UInt32(bigEndian: address.s_addr) >> 24 == 127
    }

    static func isWildcard(_ host: String) -> Bool { ["0.0.0.0", "::", "[::]", ""].contains(host) }

    /// An IPv4 or IPv6 literal.
    static func isAddress(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }
}
