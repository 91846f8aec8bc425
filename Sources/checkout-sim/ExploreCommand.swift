import ArgumentParser
import CheckoutCore
import Explorer
import Foundation
import Scenarios

#if canImport(Glibc)
import Glibc
import Synchronization
#endif

/// `checkout-sim explore`: every short sequence of shopper actions and backend faults,
/// searched for the ones that break an invariant; the shortest of each written as a scenario.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Search every short sequence of actions and faults for broken invariants; write each shortest as a scenario.",
        discussion: """
            Actions: \(Alphabet.shopperMoves.map(\.name).joined(separator: ", ")).
            Rules: \(Alphabet.ruleMoves.map(\.name).joined(separator: ", ")).
            Invariants: \(Invariant.all.map(\.name).joined(separator: ", ")).
            Exit status: 0 when the search ran (broken invariants are its findings), 2 on unusable input or a failed write.
            """)

    @Option(help: "The longest sequence tried (1 to 12).")
    var depth: Int = 4

    @OptionGroup var clientOptions: ClientOptions

    @Option(name: .customLong("guard"), help: "The double-submit guard: on or off.")
    var guardSetting: GuardSetting = .on

    @Option(help: "The shopper's actions to combine, comma-separated (default: all; none for none).")
    var actions: String?

    @Option(help: "The backend rules to arm, each once, comma-separated (default: all; none for none).")
    var rules: String?

    @Option(help: "The invariants to check, comma-separated (default: all).")
    var invariants: String?

    @Option(help: "Stop cleanly after this long (30s, 2m) and report how far the search got.")
    var budget: Budget?

    @Option(help: "Where to write the findings and their findings.json (default: explore/ in the state directory, where the TUI's s finds them; with --output the state directory is left alone).")
    var output: String?

    @Option(help: "Report format: text or json.")
    var format: ExploreFormat = .text

    @OptionGroup var stateOptions: StateOptions

    @Option(help: "Threads that expand the frontier (default: every core).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Compare clients, comma-separated (\(ClientChoices.names.joined(separator: ", "))): one search each, a table of the invariants and what each costs; the files go to OUTPUT/<client>/.", valueName: "clients"))
    var compare: String?

    func validate() throws {
        guard (1...12).contains(depth) else { throw ValidationError("--depth must be between 1 and 12") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
    }

    func run() throws {
        let configuration = try searchConfiguration()
        if let compare { return try runComparison(compare, template: configuration) }
        let outputDirectory = output ?? ExploreOutput.defaultDirectory(in: stateOptions.directory)
        let line = ProgressLine(enabled: isatty(STDERR_FILENO) == 1)
        let result = Explorer(configuration).run(progress: line.show)
        line.finish()
        let summary: ExploreSummary
        do {
            summary = try ExploreOutput.write(result, to: outputDirectory, peakMemoryBytes: ExploreOutput.peakMemoryBytes())
        } catch {
            throw UsageError("cannot write the findings: \(error)")
        }
        switch format {
        case .text: print(ExploreReport.text(summary, outputDirectory: outputDirectory), terminator: "")
        case .json: print(String(decoding: summary.json(), as: UTF8.self))
        }
    }

    /// What the options ask to search; a name no move or invariant has is exit 2.
    func searchConfiguration() throws -> ExploreConfiguration {
        let configuration: ExploreConfiguration
        do {
            let moves = try Alphabet.select(actions: Self.names(actions), rules: Self.names(rules), client: clientOptions.client)
            guard !moves.isEmpty else { throw ExploreError("nothing to explore: --actions none and --rules none") }
            configuration = ExploreConfiguration(
                depth: depth, client: clientOptions.client, doubleSubmitGuard: guardSetting == .on, moves: moves,
                invariants: try Invariant.select(Self.names(invariants)), budgetSeconds: budget.map { Double($0.millis) / 1000 },
                workers: workers)
        } catch {
            throw UsageError("\(error)")
        }
        return configuration
    }

    /// `a,b , c` as names; `nil` when the option was not given.
    static func names(_ option: String?) -> [String]? {
        option.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}

/// `--budget`: a duration from 1 ms to a day, as scenario files write them.
struct Budget: ExpressibleByArgument {
    var millis: Int64

    init?(argument: String) {
        guard let millis = Duration.millis(parsing: argument), (1...86_400_000).contains(millis) else { return nil }
        self.millis = millis
    }
}

enum GuardSetting: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

enum ExploreFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The progress line on a terminal: states explored, states/s, depth, violations found.
/// Quiet when standard error is not a terminal.
final class ProgressLine: Sendable {
    private struct State {
        var lastShown = ContinuousClock.now - .seconds(1)
        var shown = false
    }

    private let enabled: Bool
    /// Held while a line is written, so that two workers never write at once.
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: ExploreProgress) {
        guard enabled else { return }
        state.withLock { state in
            let now = ContinuousClock.now
            guard now - state.lastShown >= .milliseconds(200) else { return }
            state.lastShown = now
            state.shown = true
            let text = "\rdepth \(progress.depth) · \(progress.states) states · \(Int(progress.statesPerSecond)) states/s · "
                + "\(progress.violations) invariant\(progress.violations == 1 ? "" : "s") broken\u{1B}[K"
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    func finish() {
        guard enabled, state.withLock({ $0.shown }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
