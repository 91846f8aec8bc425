/// Input or surroundings a command cannot use: its lines on standard error, then exit
/// status 2. Commands throw it and `Main` writes and exits, as swift-argument-parser's
/// examples do with their own error type; nothing else in this target exits with 2.
struct UsageError: Error, CustomStringConvertible, Equatable {
    /// What standard error gets, a line each (each escaped by `printError`).
    var lines: [String]

    init(_ message: String) {
        lines = [message]
    }

    init(lines: [String]) {
        self.lines = lines
    }

    /// Exit 2 with nothing more to say: the command wrote its messages as it went
    /// (`run` names each file it cannot play before its report).
    static let reported = UsageError(lines: [])

    var description: String { lines.joined(separator: "\n") }
}
