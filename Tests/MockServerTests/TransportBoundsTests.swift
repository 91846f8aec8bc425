import Foundation
@testable import MockServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The connection guard's state machine: which timeout runs when, and what it answers.
struct ConnectionStateTests {
    @Test func aNewConnectionHasTheHeaderTimeoutThenTheBodysThenNoneWhileAnswered() {
        var state = ConnectionState()
        #expect(state.opened() == .start(.header))
        #expect(state.bytesArrived() == .none, "the header timeout counts from the opening")
        #expect(state.headReceived(transferCodings: []) == .start(.body))
        #expect(state.endReceived() == .stopTimer)
        #expect(state.timer == nil && !state.isIdle)
        state.replyBegan()
        #expect(state.replyEnded() == .start(.idle))
        #expect(state.isIdle)
        #expect(state.bytesArrived() == .start(.header), "a kept-alive connection's next request: its headers are due from its first byte")
        #expect(state.bytesArrived() == .none)
    }

    @Test func whatEachTimeoutDoes() {
        var silent = ConnectionState()
        #expect(silent.timedOut(.header) == .close, "nothing came: closed without a word")

        var partial = ConnectionState()
        _ = partial.bytesArrived()
        #expect(partial.timedOut(.header) == .answer(status: 408, reason: "the request headers did not arrive in time"))

        var body = ConnectionState()
        _ = body.headReceived(transferCodings: ["chunked"])
        #expect(body.timedOut(.header) == .none, "a stale timer does nothing")
        #expect(body.timedOut(.body) == .answer(status: 408, reason: "the request body did not arrive in time"))
        #expect(body.finished && body.timedOut(.body) == .none)

        var early = ConnectionState()
        _ = early.headReceived(transferCodings: [])
        early.replyBegan()
        #expect(early.timedOut(.body) == .close, "a reply already begun cannot be replaced by a 408")

        var answeredEarly = ConnectionState()
        _ = answeredEarly.headReceived(transferCodings: [])
        answeredEarly.replyBegan()
        _ = answeredEarly.replyEnded()
        #expect(answeredEarly.timer == .body, "the rest of the body is still due")
        #expect(answeredEarly.timedOut(.body) == .close, "a request answered before its body came gets no second reply")

        var idle = ConnectionState()
        _ = idle.headReceived(transferCodings: [])
        _ = idle.endReceived()
        _ = idle.replyEnded()
        #expect(idle.timedOut(.idle) == .close)
    }

    @Test func aHeldRequestHasNoTimeoutAndEndsWhenTheClientLeavesOrTheServerStops() {
        var state = ConnectionState()
        #expect(state.clientLeft() == .none && state.shuttingDown() == .none, "a connection without a request is Hummingbird's to close")
        _ = state.headReceived(transferCodings: [])
        _ = state.endReceived()
        #expect(state.clientLeft() == .none && state.shuttingDown() == .none, "a request being answered is left to finish")
        state.holdBegan()
        #expect(state.timer == nil)
        #expect(state.timedOut(.idle) == .none && state.timedOut(.body) == .none)
        #expect(state.clientLeft() == .close)

        var shutdown = ConnectionState()
        _ = shutdown.headReceived(transferCodings: [])
        #expect(shutdown.shuttingDown() == .close, "a body still coming at shutdown is not waited for")
    }

    @Test func onlyChunkedIsATransferCodingAndAMalformedRequestIs400() {
        var gzip = ConnectionState()
        #expect(gzip.headReceived(transferCodings: ["gzip", "chunked"])
                == .answer(status: 501, reason: "the Transfer-Encoding gzip, chunked is not implemented (only chunked)"))
        var malformed = ConnectionState()
        _ = malformed.headReceived(transferCodings: ["chunked"])
        #expect(malformed.malformed("bad") == .answer(status: 400, reason: "bad"))
    }
}

/// The request log's writer: never waits for its reader; what it drops, it counts and says.
struct LogWriterTests {
    @Test func aFullPipeNeitherBlocksTheCallerNorLosesTheCount() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        // The pipe is full before the writer starts: nobody reads it.
        let flags = fcntl(ends[1], F_GETFL)
        _ = fcntl(ends[1], F_SETFL, flags | O_NONBLOCK)
        let filler = [UInt8](repeating: UInt8(ascii: "\n"), count: 4096)
        while write(ends[1], filler, filler.count) > 0 {}
        _ = fcntl(ends[1], F_SETFL, flags)
        let writer = LogWriter(descriptor: ends[1], capacity: 10, dropped: LogFormat.text.droppedLine)
        let line = String(repeating: "x", count: 999) + "\n"
        let start = ContinuousClock.now
        // 2,000 lines of 1,000 bytes, nobody reading.
        for _ in 0..<2000 { writer.write(line) }
        #expect(ContinuousClock.now - start < .seconds(1), "the caller never waits for the pipe")
        #expect(writer.droppedCount > 1800)
        #expect(!writer.finish(timeout: .milliseconds(50)), "a writer blocked on the pipe is left behind")

        // The reader reads: the lines written and the count dropped make up every line.
        var text = ""
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var ready = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        func accounted() -> Int {
            text.split(separator: "\n").filter { $0.hasPrefix("xxx") }.count
                + text.matches(of: /\(([0-9]+) log lines dropped\)\n/).reduce(0) { $0 + (Int($1.1) ?? 0) }
        }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, accounted() < 2000, poll(&ready, 1, 1000) == 1 {
            let count = read(ends[0], &chunk, chunk.count)
            guard count > 0 else { break }
            text += String(decoding: chunk[0..<count], as: UTF8.self)
        }
        #expect(accounted() == 2000, "\(text.suffix(200))")
        #expect(text.hasSuffix(" log lines dropped)\n"), "the count comes once the reader has caught up")
    }

    @Test func theDroppedLineInEachFormat() {
        #expect(LogFormat.text.droppedLine(3) == "(3 log lines dropped)\n")
        #expect(LogFormat.json.droppedLine(3) == "{\"dropped\":3}\n")
    }

    @Test func durationsAndDestinations() {
        #expect(TransportLimits.duration("10s") == .seconds(10))
        #expect(TransportLimits.duration("1500ms") == .milliseconds(1500))
        #expect(TransportLimits.duration("2m") == .seconds(120))
        for bad in ["", "10", "0s", "-1s", "soon", "inf s", "25h", "1e9m"] { #expect(TransportLimits.duration(bad) == nil, "\(bad)") }
        #expect(LogDestination("off") == .off && LogDestination("stdout") == .standardOutput && LogDestination("./stdout") == .file("./stdout"))
        #expect(TransportLimits.connections(descriptorLimit: 1024) == 896)
    }
}
