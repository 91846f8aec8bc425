import CheckoutCore
import Foundation
import MockBackend
import Yams

/// A scenario file that cannot be used, located as `file:line:column: message`.
public struct ScenarioParseError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String
    /// The file's other mistakes after this one, in order (at most `ScenarioParseError.limit` in all).
    public var others: [ScenarioParseError] = []

    /// How many mistakes of one file are reported.
    public static let limit = 20

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// This mistake and the file's others.
    public var all: [ScenarioParseError] {
        var first = self
        first.others = []
        return [first] + others
    }

    /// The file name and the message (which may quote the file) pass through `UntrustedText`:
    /// this text goes to terminals.
    public var description: String {
        // Line 0: a file that could not be found or read has no place in it to name.
        line == 0 ? "\(UntrustedText.escaped(file)): \(UntrustedText.escaped(message))"
            : "\(UntrustedText.escaped(file)):\(line):\(column): \(UntrustedText.escaped(message))"
    }
}

/// Typed access to a composed YAML tree that turns every surprise into a
/// located error, and bounds the work an adversarial file (alias bombs) can cause.
struct YAMLReader {
    let file: String
    private let budget = Budget()

    init(file: String) {
        self.file = file
    }

    final class Budget {
        var visits = 0
    }

    static let maxVisits = 2_000_000

    func error(_ node: Node?, _ message: String) -> ScenarioParseError {
        ScenarioParseError(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
    }

    private func visit(_ node: Node) throws {
        budget.visits += 1
        if budget.visits > Self.maxVisits {
            throw error(node, "the document has more than \(Self.maxVisits) values; scenario files are limited to that")
        }
        if case .alias = node { throw error(node, "aliases are not supported in scenario files") }
    }

    /// The pairs of a mapping, keys as strings, in file order; duplicate keys rejected.
    func mapping(_ node: Node, _ what: String) throws -> [(key: String, keyNode: Node, value: Node)] {
        try visit(node)
        guard case .mapping(let mapping) = node else {
            throw error(node, "\(what) must be a mapping, found \(describe(node))")
        }
        var seen: Set<String> = []
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            try visit(keyNode)
            guard case .scalar(let scalar) = keyNode else { throw error(keyNode, "\(what): keys must be plain words") }
            guard seen.insert(scalar.string).inserted else {
                throw error(keyNode, "\(what): '\(scalar.string)' appears twice")
            }
            pairs.append((scalar.string, keyNode, value))
        }
        return pairs
    }

    /// A mapping's fields, rejecting any name not in `allowed`.
    func fields(_ node: Node, _ what: String, allowed: [String]) throws -> [String: (keyNode: Node, value: Node)] {
        var result: [String: (keyNode: Node, value: Node)] = [:]
        for pair in try mapping(node, what) {
            guard allowed.contains(pair.key) else {
                throw error(pair.keyNode, "unknown field '\(pair.key)' in \(what)" + suggestion(pair.key, allowed))
            }
            result[pair.key] = (pair.keyNode, pair.value)
        }
        return result
    }

    /// The single key of a one-key mapping.
    func single(_ node: Node, _ what: String) throws -> (key: String, keyNode: Node, value: Node) {
        let pairs = try mapping(node, what)
        guard pairs.count == 1 else {
            throw error(node, "\(what) must have exactly one key, found \(pairs.count)" +
                        (pairs.isEmpty ? "" : ": " + pairs.map(\.key).joined(separator: ", ")))
        }
        return pairs[0]
    }

    func sequence(_ node: Node, _ what: String) throws -> [Node] {
        try visit(node)
        guard case .sequence(let sequence) = node else {
            throw error(node, "\(what) must be a list, found \(describe(node))")
        }
        return Array(sequence)
    }

    func string(_ node: Node, _ what: String) throws -> String {
        try visit(node)
        guard case .scalar(let scalar) = node else {
            throw error(node, "\(what) must be text, found \(describe(node))")
        }
        return scalar.string
    }

    func int(_ node: Node, _ what: String) throws -> Int {
        let text = try string(node, what)
        guard let value = Int(text) else { throw error(node, "\(what) must be a whole number, found '\(text)'") }
        return value
    }

    /// A whole number within `range`.
    func int(_ node: Node, _ what: String, in range: ClosedRange<Int>) throws -> Int {
        let value = try int(node, what)
        guard range.contains(value) else {
            throw error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// A cart quantity (`CartLine.quantityRange`).
    func quantity(_ node: Node) throws -> Int {
        try int(node, "qty", in: CartLine.quantityRange)
    }

    func bool(_ node: Node, _ what: String) throws -> Bool {
        let text = try string(node, what)
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(node, "\(what) must be true or false, found '\(text)'")
        }
    }

    func double(_ node: Node, _ what: String) throws -> Double {
        let text = try string(node, what)
        guard let value = Double(text), value.isFinite else { throw error(node, "\(what) must be a number, found '\(text)'") }
        return value
    }

    /// One of `choices`, by its exact name.
    func choice<T>(_ node: Node, _ what: String, _ choices: [(String, T)]) throws -> T {
        let text = try string(node, what)
        if let match = choices.first(where: { $0.0 == text }) { return match.1 }
        throw error(node, "unknown \(what) '\(text)'" + suggestion(text, choices.map(\.0)) +
                    " (expected \(choices.map(\.0).joined(separator: ", ")))")
    }

    /// A duration such as `500ms`, `2s`, `1m30s`, `25h`, in milliseconds.
    func duration(_ node: Node, _ what: String) throws -> Int64 {
        let text = try string(node, what)
        guard let millis = Self.parseDuration(text) else {
            throw error(node, "\(what): cannot read '\(text)' as a duration (examples: 500ms, 2s, 1m30s, 25h)")
        }
        return millis
    }

    static func parseDuration(_ text: String) -> Int64? { Duration.millis(parsing: text) }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string.prefix(40))'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// `; did you mean 'checkout'?` when a close name exists.
    func suggestion(_ word: String, _ candidates: [String]) -> String {
        guard word.count < 64 else { return "" }
        let best = candidates.map { ($0, Self.distance(word.lowercased(), $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, best.0.count / 3) else { return "" }
        return "; did you mean '\(best.0)'?"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
