import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection to the loopback for what curl will not send: malformed or cut-short
/// requests, HTTP/1.0, many requests on one connection, connections that send nothing.
/// Every read has a deadline.
final class RawConnection {
    let descriptor: Int32
    /// Bytes read and not yet taken as a response.
    private var buffer = Data()
    /// The peer closed the connection (or reset it).
    private(set) var closed = false

    /// Connects to `127.0.0.1:port`; with `wait` false the connect is left in progress (a
    /// stalled client that never completes a request).
    init(port: Int, wait: Bool = true) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ServeFailure(description: "socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 || errno == EINPROGRESS else {
            let error = String(cString: strerror(errno))
            close(descriptor)
            throw ServeFailure(description: "connect to port \(port): \(error)")
        }
        if wait, result != 0, !poll(POLLOUT, seconds: 5) {
            close(descriptor)
            throw ServeFailure(description: "connect to port \(port): not connected within 5 s")
        }
    }

    deinit { close(descriptor) }

    /// Sends all of `text` (within 5 s).
    func send(_ text: String) throws {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                offset += written
            } else if errno == EAGAIN || errno == EINTR {
                guard poll(POLLOUT, seconds: 5) else { throw ServeFailure(description: "send: the server took nothing for 5 s") }
            } else {
                throw ServeFailure(description: "send: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Reads until the peer closes or `seconds` pass; everything read (and not yet taken).
    @discardableResult
    func readToEnd(within seconds: Double) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while !closed, Date() < deadline { readSome(until: deadline) }
        defer { buffer = Data() }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The next `count` responses (status line, headers, a Content-Length body), read within `seconds`.
    func responses(_ count: Int, within seconds: Double) throws -> [RawResponse] {
        let deadline = Date().addingTimeInterval(seconds)
        var responses: [RawResponse] = []
        while responses.count < count {
            if let response = takeResponse() {
                responses.append(response)
                continue
            }
            guard !closed, Date() < deadline else {
                throw ServeFailure(description: "\(responses.count) of \(count) responses within \(seconds) s (closed: \(closed)); then \"\(String(decoding: buffer.prefix(300), as: UTF8.self))\"")
            }
            readSome(until: deadline)
        }
        return responses
    }

    /// Whether the connection becomes ready for `events` within `seconds`.
    func poll(_ events: Int32, seconds: Double) -> Bool {
        var ready = pollfd(fd: descriptor, events: Int16(events), revents: 0)
        return Glibc.poll(&ready, 1, Int32(seconds * 1000)) == 1
    }

    private func readSome(until deadline: Date) {
        guard poll(POLLIN, seconds: max(0, min(0.1, deadline.timeIntervalSinceNow))) else { return }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
        } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
            closed = true
        }
    }

    private func takeResponse() -> RawResponse? {
        guard let headEnd = buffer.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard buffer.endIndex - headEnd.upperBound >= length else { return nil }
        let body = buffer[headEnd.upperBound..<(headEnd.upperBound + length)]
        buffer = Data(buffer[(headEnd.upperBound + length)...])
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        return RawResponse(statusLine: statusLine, status: parts.count > 1 ? Int(parts[1]) ?? 0 : 0, headers: headers,
                           body: String(decoding: body, as: UTF8.self))
    }
}

/// A response as `RawConnection` read it.
struct RawResponse: CustomStringConvertible {
    var statusLine: String
    var status: Int
    var headers: [String: String]
    var body: String

    var description: String { "\(statusLine) \(headers) \(body.prefix(200))" }
}

extension ServeProcess {
    /// The port it listens on.
    var port: Int { Int(baseURL.split(separator: ":").last ?? "") ?? 0 }

    /// CPU time it has used so far, in seconds (user and system, from /proc).
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.pid)/stat", encoding: .utf8),
              let afterName = stat.range(of: ") ") else { return 0 }
        let fields = stat[afterName.upperBound...].split(separator: " ")
        // utime and stime are fields 14 and 15 of stat(5); fields here start at the 3rd.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
