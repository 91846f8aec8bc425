import CheckoutCore
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// How `serve --headless` logs each request on stdout.
public enum LogFormat: String, Sendable, CaseIterable {
    /// One readable line per request.
    case text
    /// One JSON object per line, for machines.
    case json

    /// The line saying that `count` lines were dropped (the log's reader fell behind).
    public func droppedLine(_ count: Int) -> String {
        switch self {
        case .text: "(\(count) log lines dropped)\n"
        case .json: "{\"dropped\":\(count)}\n"
        }
    }
}

/// Where `serve --headless` writes its request log (`--log`).
public enum LogDestination: Equatable, Sendable {
    /// No request log.
    case off
    /// Standard output, after the `listening on` line (the default).
    case standardOutput
    /// A file, appended to.
    case file(String)

    /// `off`, `stdout`, or a file's path.
    public init(_ argument: String) {
        switch argument {
        case "off": self = .off
        case "stdout": self = .standardOutput
        default: self = .file(argument)
        }
    }
}

/// One line per request, handed to `write` (in `serve`, a `LogWriter`'s queue: never waits for the reader).
public final class RequestLog: Sendable {
    private let format: LogFormat
    /// Held while a line is handed to `write`, one line at a time.
    private let writing = Mutex(())
    private let write: @Sendable (String) -> Void

    public init(format: LogFormat, write: @escaping @Sendable (String) -> Void = RequestLog.standardOutput) {
        self.format = format
        self.write = write
    }

    /// Writes a line to stdout at once, waiting for the reader if the pipe is full (for the
    /// `listening on` line, which comes first; request lines go through a `LogWriter`).
    public static let standardOutput: @Sendable (String) -> Void = { line in
        var line = line
        // One write(2) per line, straight from the string's bytes (no Data, no FileHandle).
        line.withUTF8 { writeAll(STDOUT_FILENO, $0) }
    }

    struct Line: Encodable {
        var time: String
        var peer: String
        var method: String
        var path: String
        var status: Int?
        var millis: Int
        var userAgent: String
        var rules: String?
        var journal: String?
        var fault: String?

        enum CodingKeys: String, CodingKey {
            case time, peer, method, path, status, millis, userAgent = "user_agent", rules, journal, fault
        }
    }

    func record(_ line: Line) {
        let text: String
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            text = ((try? String(decoding: encoder.encode(line), as: UTF8.self)) ?? "{}") + "\n"
        case .text:
            // Bytes appended in place, cheaper than a String's `+=`: one line per request.
            var out: [UInt8] = []
            out.reserveCapacity(192)
            func add(_ part: String) {
                var part = part
                part.withUTF8 { out.append(contentsOf: $0) }
            }
            for part in [line.time, line.peer, line.method, UntrustedText.escaped(line.path, limit: 200)] {
                add(part)
                add(" ")
            }
            add(line.status.map(String.init) ?? "-")
            add(" ")
            add(String(line.millis))
            add("ms")
            if let journal = line.journal {
                add(" #")
                add(journal)
            }
            if let rules = line.rules {
                add(" rules: ")
                add(UntrustedText.escaped(rules, limit: 200))
            }
            if let fault = line.fault {
                add(" (")
                add(fault)
                add(")")
            }
            if !line.userAgent.isEmpty {
                add(" \"")
                add(UntrustedText.escaped(line.userAgent, limit: 120))
                add("\"")
            }
            add("\n")
            text = String(decoding: out, as: UTF8.self)
        }
        writing.withLock { _ in write(text) }
    }
}

extension RequestLog {
    /// Answers `request` through `next`, then logs it: once it is answered, or closed on
    /// purpose by a fault. (Run by the client identity middleware: one middleware fewer
    /// on every request's path.)
    func logging(_ request: Request, context: ServerContext,
                 _ next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var line = RequestLog.Line(time: Self.timestamp(), peer: context.peer, method: request.method.rawValue, path: request.uri.path,
                                   status: nil, millis: 0, userAgent: request.headers.value(.userAgent) ?? "")
        func finish() {
            let elapsed = ContinuousClock.now - start
            line.millis = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            record(line)
        }
        do {
            let response = try await next(request, context)
            line.status = response.status.code
            line.rules = response.headers.value(WireReply.rulesHeader)
            line.journal = response.headers.value(WireReply.journalHeader)
            finish()
            return response
        } catch let closed as ConnectionClosedOnPurpose {
            line.fault = closed.fault == .connectionReset ? "connection reset" : "closed without a reply: \(closed.fault.name)"
            line.rules = closed.fault.name
            line.journal = String(closed.journal)
            finish()
            throw closed
        } catch {
            line.status = (error as? HTTPResponseError)?.status.code ?? 500
            finish()
            throw error
        }
    }

    /// `2026-11-30T01:06:44.339Z`, without a formatter object per line.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return timestamp(seconds: now.tv_sec, millis: Int(now.tv_nsec / 1_000_000))
    }

    /// The UTC time `seconds` since 1970 and `millis`, as `timestamp()` writes it (digit by digit,
    /// cheaper than string interpolation).
    static func timestamp(seconds: Int, millis: Int) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else { return "\(year)-?" }
        let fields: [(value: Int, digits: Int, after: UInt8)] = [
            (year, 4, UInt8(ascii: "-")), (Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-")), (Int(parts.tm_mday), 2, UInt8(ascii: "T")),
            (Int(parts.tm_hour), 2, UInt8(ascii: ":")), (Int(parts.tm_min), 2, UInt8(ascii: ":")), (Int(parts.tm_sec), 2, UInt8(ascii: ".")),
            (millis, 3, UInt8(ascii: "Z")),
        ]
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var end = 0
            for field in fields {
                var value = field.value
                for place in stride(from: field.digits - 1, through: 0, by: -1) {
                    buffer[end + place] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
                end += field.digits
                buffer[end] = field.after
                end += 1
            }
            return end
        }
    }
}

/// Writes every byte, going on after a partial write or an interrupted one; gives up on an error.
private func writeAll(_ descriptor: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress else { return }
    var offset = 0
    while offset < bytes.count {
        let written = write(descriptor, base + offset, bytes.count - offset)
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}
