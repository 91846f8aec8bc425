import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How long `serve` waits for each part of a request, and how many connections it keeps
/// open, so that stalled or slow clients cannot hold it (or the CI job that started it).
public struct TransportLimits: Sendable, Equatable {
    /// From the connection's opening, or the first byte of a kept-alive connection's next
    /// request, until the request's headers are complete.
    public var headerTimeout: Duration
    /// From the headers until the body is complete (a Content-Length that never arrives).
    public var bodyTimeout: Duration
    /// A kept-alive connection with no request is closed after this long.
    public var idleTimeout: Duration
    /// Open connections at most: past it, a new connection closes the oldest one waiting for a
    /// request, or is closed itself if every one has a request in progress.
    public var maxConnections: Int

    /// Descriptors kept for the database, the request log and the accepts in flight.
    public static let reservedDescriptors = 128

    /// The defaults: headers within 10 s (a browser sends them in one packet; Apache allows
    /// 20 s, nginx 60 s), a body within 30 s (4 MiB at most, over loopback or a LAN), an idle
    /// keep-alive connection kept 60 s (longer than browsers keep one: Chrome 300 s, Firefox
    /// 115 s; closing it costs a client one reconnect).
    public init(headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
                maxConnections: Int = TransportLimits.connections(descriptorLimit: TransportLimits.descriptorLimit())) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    /// As many connections as `descriptorLimit` allows, less the reserve.
    public static func connections(descriptorLimit: Int) -> Int {
        max(16, descriptorLimit - reservedDescriptors)
    }

    /// The soft limit of open descriptors (RLIMIT_NOFILE).
    public static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(openFiles, &limit) == 0 else { return 1024 }
        return Int(clamping: min(limit.rlim_cur, rlim_t(Int32.max)))
    }

    /// Raises the soft limit of open descriptors to the hard limit; the soft limit after.
    @discardableResult
    public static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        if getrlimit(openFiles, &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(openFiles, &limit)
        }
        return descriptorLimit()
    }

    /// `10s`, `1500ms`, `2m`, `1.5s`: a positive duration, or `nil`.
    public static func duration(_ text: String) -> Duration? {
        let units: [(suffix: String, millis: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let value = Double(text.dropLast(unit.suffix.count)), value.isFinite, value > 0, value * unit.millis <= 86_400_000 else { return nil }
            return .milliseconds(Int64((value * unit.millis).rounded()))
        }
        return nil
    }
}

#if os(Linux)
private let openFiles = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#else
private let openFiles = RLIMIT_NOFILE
#endif
