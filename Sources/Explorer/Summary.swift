import Foundation

/// The last exploration, as `explore` leaves it in `findings.json` next to its scenario
/// files (and the TUI's `s` lists them).
public struct ExploreSummary: Codable, Equatable, Sendable {
    /// One broken invariant.
    public struct Entry: Codable, Equatable, Sendable {
        public var invariant: String
        public var explanation: String
        /// The shortest sequence's length.
        public var depth: Int
        /// Different end states reached by a sequence that breaks it.
        public var distinct: Int
        /// The scenario file: absolute, or relative to `findings.json`.
        public var file: String
        /// The moves, by name.
        public var steps: [String]
    }

    public var version = 1
    public var client: String
    public var doubleSubmitGuard: Bool
    public var depth: Int
    public var completedDepth: Int
    public var stoppedByBudget: Bool
    public var states: Int
    public var distinctStates: Int
    public var seconds: Double
    public var statesPerSecond: Double
    public var peakMemoryBytes: Int?
    public var perDepth: [DepthStats]
    public var findings: [Entry]
    /// Invariants no sequence broke within `completedDepth`.
    public var unbroken: [String]

    enum CodingKeys: String, CodingKey {
        case version, client, depth, states, seconds, findings, unbroken
        case doubleSubmitGuard = "double_submit_guard", completedDepth = "completed_depth", stoppedByBudget = "stopped_by_budget"
        case distinctStates = "distinct_states", statesPerSecond = "states_per_second", peakMemoryBytes = "peak_memory_bytes"
        case perDepth = "per_depth"
    }

    /// The name `explore` gives it.
    public static let fileName = "findings.json"

    public init(_ result: ExploreResult, files: [String: String], peakMemoryBytes: Int?) {
        let configuration = result.configuration
        client = configuration.client.rawValue
        doubleSubmitGuard = configuration.doubleSubmitGuard
        depth = configuration.depth
        completedDepth = result.completedDepth
        stoppedByBudget = result.stoppedByBudget
        states = result.states
        distinctStates = result.distinct
        seconds = result.seconds
        statesPerSecond = result.statesPerSecond
        self.peakMemoryBytes = peakMemoryBytes
        perDepth = result.perDepth
        findings = result.findings.map { finding in
            Entry(invariant: finding.invariant.name, explanation: finding.invariant.explanation, depth: finding.depth,
                  distinct: finding.distinct, file: files[finding.invariant.name] ?? "", steps: finding.moves.map(\.name))
        }
        unbroken = result.unbroken.map(\.name)
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The summary in `directory`, if there is a readable one.
    public static func load(from directory: String) -> ExploreSummary? {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.size] as? Int ?? .max) < 4_000_000,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ExploreSummary.self, from: data)
    }

    /// The file of `entry` as a path (relative ones are relative to `directory`).
    public static func path(of entry: Entry, in directory: String) -> String {
        entry.file.hasPrefix("/") ? entry.file : (directory as NSString).appendingPathComponent(entry.file)
    }
}
