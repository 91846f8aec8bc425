/// Where a connection is between requests, as a value: each event is a mutating method
/// that returns what the connection guard does next (a timer to start, an answer to give).
struct ConnectionState: Equatable {
    /// Which timeout runs.
    enum Timer: Equatable {
        /// The headers of the next request are due (from the opening, or the next request's first byte).
        case header
        /// The body of the request being read is due.
        case body
        /// A kept-alive connection waits for a request.
        case idle
    }

    /// What the guard does after an event.
    enum Action: Equatable {
        case none
        /// (Re)starts `timer`, replacing any other.
        case start(Timer)
        /// No timeout runs: a request is being answered (a held fault can take until the client's deadline).
        case stopTimer
        /// Answers with `status` itself and closes (the application's reply, if any, is discarded).
        case answer(status: Int, reason: String)
        /// Closes without a reply.
        case close
    }

    /// Requests whose head came and whose reply has not ended.
    private(set) var unanswered = 0
    /// A request's head came and its end has not.
    private(set) var readingBody = false
    /// A reply has ended on this connection (it is kept alive).
    private(set) var servedAny = false
    /// Bytes came since the last reply ended (or since the opening): a request has begun.
    private(set) var requestBegun = false
    /// The application started the reply to the oldest unanswered request.
    private(set) var replying = false
    /// A request on it is held unanswered by a fault, on purpose.
    private(set) var holding = false
    /// The guard answered (or closed): nothing more is read or written.
    private(set) var finished = false

    /// The timer that runs now, if any.
    var timer: Timer? {
        if finished { return nil }
        if readingBody { return .body }
        if unanswered > 0 { return nil }
        return servedAny && !requestBegun ? .idle : .header
    }

    /// No request in progress: the connection may be closed to make room for another.
    var isIdle: Bool { !finished && unanswered == 0 && !readingBody }

    /// The connection opened.
    func opened() -> Action { .start(.header) }

    /// Bytes arrived (before the request decoder).
    mutating func bytesArrived() -> Action {
        guard !finished, unanswered == 0, !readingBody, !requestBegun else { return .none }
        requestBegun = true
        // A kept-alive connection's next request: its headers are due from now.
        return servedAny ? .start(.header) : .none
    }

    /// A request's head came; `transferCodings` are its Transfer-Encoding's, lowercased.
    mutating func headReceived(transferCodings: [String]) -> Action {
        guard !finished else { return .none }
        // Only chunked is implemented: a body in another coding cannot be read (RFC 9112 §6.1).
        if transferCodings.contains(where: { $0 != "chunked" }) {
            return finish(.answer(status: 501, reason: "the Transfer-Encoding \(transferCodings.joined(separator: ", ")) is not implemented (only chunked)"))
        }
        unanswered += 1
        readingBody = true
        requestBegun = false
        return .start(.body)
    }

    /// A request's end came.
    mutating func endReceived() -> Action {
        guard !finished, readingBody else { return .none }
        readingBody = false
        return .stopTimer
    }

    /// The application began a reply.
    mutating func replyBegan() { replying = true }

    /// A reply ended.
    mutating func replyEnded() -> Action {
        guard !finished, unanswered > 0 else { return .none }
        unanswered -= 1
        replying = false
        servedAny = true
        // Answered before its body came: the body's timeout runs on.
        if !readingBody, let timer { return .start(timer) }
        return .none
    }

    /// A fault holds the request in progress unanswered, on purpose.
    mutating func holdBegan() { holding = true }

    /// `timer` ran out.
    mutating func timedOut(_ timer: Timer) -> Action {
        guard timer == self.timer else { return .none }
        switch timer {
        case .body:
            // A reply begun, or ended before the body was read, cannot be followed by a 408.
            return finish(replying || unanswered != 1 ? .close : .answer(status: 408, reason: "the request body did not arrive in time"))
        case .header:
            return finish(requestBegun ? .answer(status: 408, reason: "the request headers did not arrive in time") : .close)
        case .idle:
            return finish(.close)
        }
    }

    /// The request could not be parsed (a bad chunk size, a body cut short).
    mutating func malformed(_ reason: String) -> Action {
        guard !finished else { return .none }
        // Answered only if no other reply is due before it on the connection.
        return finish(replying || unanswered > 1 ? .close : .answer(status: 400, reason: reason))
    }

    /// The client closed its side: a held request ends now (another is left to finish).
    mutating func clientLeft() -> Action {
        guard !finished, holding else { return .none }
        return finish(.close)
    }

    /// The server is shutting down: a held request ends now, and so does a request whose body
    /// is still coming (not handled yet); a request being answered is left to finish.
    mutating func shuttingDown() -> Action {
        guard !finished, holding || (readingBody && !replying) else { return .none }
        return finish(.close)
    }

    private mutating func finish(_ action: Action) -> Action {
        finished = true
        return action
    }
}
