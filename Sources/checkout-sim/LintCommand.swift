import ArgumentParser
import CheckoutCore
import Foundation
import MockBackend
import WireLint

/// `checkout-sim lint`: judges, offline, every client in a state directory's
/// journal (after an end-to-end run of a front end against `serve`). Exits 1 on
/// any violation, so CI fails.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Judge the clients in a state directory's journal against the key lifecycle (exit 1 on a violation; --strict: on a warning too).",
        discussion: """
            Rules: \(LintRule.allCases.map { "\n  \($0.number). \($0.rawValue): \($0.summary)" }.joined())
            See docs/lint.md.
            """)

    @OptionGroup var stateOptions: StateOptions

    @Option(help: "text or json.")
    var format: LintFormat = .text

    @Option(help: "How soon (ms) the retry after \"Payment already completed\" must leave to count as immediate.")
    var retryWindow: Int64 = WireLinter.defaultRetryWindowMillis

    /// The client policy every client is judged against.
    @OptionGroup var clientOptions: ClientOptions

    @Option(help: "The simulated shopper's request timeout, as its --client-timeout was (500ms, 10s).")
    var clientTimeout: ClientTimeout = ClientTimeout(millis: ClientPolicy.defaultTimeoutMillis)

    @Flag(help: "Fail (exit 1) on warnings too: a legacy client that never sends a key.")
    var strict = false

    enum LintFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        guard (1...3_600_000).contains(retryWindow) else {
            throw ValidationError("--retry-window must be between 1 and 3600000 ms")
        }
    }

    func run() throws {
        let directory = stateOptions.directory
        guard FileManager.default.fileExists(atPath: StateFiles.path(directory, SQLiteBackendStore.fileName)) else {
            throw UsageError("no journal in \(directory.path): run `checkout-sim serve --state-dir \(directory.path)` first")
        }
        var linter = WireLinter(retryWindowMillis: retryWindow, policy: clientOptions.client, clientTimeoutMillis: clientTimeout.millis)
        let pruned: JournalPruning
        let store = try StateDirectory.backendStore(directory)
        do {
            while case let page = try store.journal(after: linter.lastSequence, limit: 10_000), !page.isEmpty {
                linter.read(page)
            }
            pruned = try store.journalPruning()
        } catch {
            throw UsageError("cannot read the journal in \(directory.path): \(StateFiles.describe(error))")
        }
        let report = linter.report(nowMillis: Int64((Date().timeIntervalSince1970 * 1000).rounded()), pruned: pruned)
        switch format {
        case .text:
            print(report.text)
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }
        if !report.isClean || (strict && report.warnings > 0) { throw ExitCode(1) }
    }
}
