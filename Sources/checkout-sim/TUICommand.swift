import ArgumentParser
import CheckoutCore
import Foundation
import MockBackend
import NcursesTerminal
import Scenarios
import Simulation
import TerminalUI

/// `checkout-sim [tui]`: the interactive terminal UI.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui", abstract: "Explore the checkout interactively (the default).")

    @OptionGroup var stateOptions: StateOptions

    @OptionGroup var seedOptions: SeedOptions<WorldSeed>

    @OptionGroup var clientOptions: ClientOptions

    @Option(help: "Record the session as a scenario file.")
    var record: String?

    @Option(help: "A folder of scenarios for the picker (s), besides ./scenarios or the built-in catalog; repeatable.")
    var scenarios: [String] = []

    @Option(help: "How long the client waits for a reply before it calls the request lost (500ms, 10s).")
    var clientTimeout: ClientTimeout = ClientTimeout(millis: SimulationConfiguration.defaultClientTimeoutMillis)

    /// The parsed options as plain values.
    var options: TUIOptions {
        TUIOptions(stateDir: stateOptions.stateDir, seed: seedOptions.seed, client: clientOptions.client, record: record,
                   clientTimeoutMillis: clientTimeout.millis, scenarioFolders: scenarios)
    }

    func run() throws {
        try Self.launch(options)
    }

    /// Opens the state directory and runs the interface until the user quits.
    /// `serve` passes `attach`: it starts the server beside the model and returns how to stop it.
    static func launch(_ options: TUIOptions, attach: ((AppModel, URL) -> () -> Void)? = nil) throws {
        let directory = StateDirectory.resolve(options.stateDir)
        // A state directory without localStorage is a first visit: the cart gets one item.
        let firstVisit = access(StateFiles.path(directory, FileKeyValueStorage.fileName), F_OK) != 0
        let configuration = SimulationConfiguration(seed: options.seed, client: ClientSettings(variant: options.client),
                                                    clientTimeoutMillis: options.clientTimeoutMillis)
        // Tells `reset` the directory is in use. Taken before the files are opened when the
        // directory exists already, else right after the simulation has created it.
        var lock = StateDirectoryLock.holdShared(directory: directory)
        let simulation = try StateDirectory.opening(directory) {
            // A short wait per use of the database: another tab's lock never holds a frame for long.
            try Simulation(stateDirectory: directory, configuration: configuration, databaseWait: 0.1)
        }
        let model = AppModel(simulation: simulation, stateLabel: "state: \(StateFiles.fileSystemPath(directory))", deferBackend: true)
        model.seedLabel = options.seed
        if firstVisit, let product = simulation.backend.catalog.products.first(where: { $0.stock > 0 }) {
            model.afterFirstFrame = [.addItem(sku: product.sku, qty: 1)]
        }
        let hook: FrontEndHook
        do {
            hook = try FrontEndHook(recordPath: options.record, model: model)
        } catch {
            throw UsageError("cannot record: \(error)")
        }
        if lock == nil { lock = StateDirectoryLock.holdShared(directory: directory) }
        model.recorder = hook
        model.loadScenarios = {
            ScenarioCatalog.entries(in: ["scenarios"] + options.scenarioFolders) + ExploreFindings.entries(stateDirectory: directory)
        }
        let detach = attach?(model, directory)
        defer { detach?() }
        try withExtendedLifetime(lock) {
            try runInterface(model)
        }
        hook.finish(model: model)
    }
}

/// `checkout-sim demo SCENARIO`: presenter mode.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Play a scenario step by step in the TUI (presenter mode).")

    @Argument(help: "The scenario file, or a built-in one by file name or name (04-rotation).")
    var scenario: String

    @OptionGroup var compareOptions: CompareOptions

    func run() throws {
        let parsed = try loadOneScenario(scenario)
        if let other = try compareOptions.client() { return try runComparison(parsed, against: other) }
        let model = AppModel(simulation: ScenarioRunner().makeSimulation(for: parsed), stateLabel: "demo (in memory)")
        model.presenter = PresenterState(scenario: parsed, model: model, keepForLater: false)
        model.recorder = try FrontEndHook(recordPath: nil, model: model)
        model.loadScenarios = { ScenarioCatalog.entries(in: ["scenarios"]) }
        try runInterface(model)
    }
}

/// One scenario: a path, or a built-in catalog scenario by file name or name (`04-rotation`).
/// Anything else is unusable input (exit 2), said in words.
func loadOneScenario(_ name: String) throws -> Scenario {
    let found = ScenarioFiles.collect([name]).files
    guard found.count == 1, let file = found.first else {
        let suggestion = ScenarioFiles.suggestion(for: name).map { "; did you mean \($0)?" } ?? " (checkout-sim list shows them)"
        throw UsageError(found.isEmpty
            ? "\(name): no such file, and no built-in scenario of that name\(suggestion)"
            : "\(name): a folder of \(found.count) scenarios; give one file")
    }
    do {
        return try ScenarioParser.parseOnLargeStack(contentsOf: file)
    } catch let mistake as ScenarioParseError {
        // Every mistake of the file, as `run` reports them.
        throw UsageError(lines: mistake.all.map(\.description))
    } catch {
        throw UsageError("\(error)")
    }
}

/// Starts the terminal, or explains why it cannot.
func runInterface(_ model: AppModel) throws {
    let status = TerminalApp.run(model, colors: try usableTerminalColors())
    if status != 0 { throw ExitCode(status) }
}

/// Whether to draw in colour on this terminal (`NO_COLOR`); exit 2 when there is no
/// terminal to draw on, or one of an unknown type.
func usableTerminalColors() throws -> Bool {
    guard NcursesTerminal.isInteractive else {
        throw UsageError("checkout-sim needs an interactive terminal. For headless use: checkout-sim run scenarios/")
    }
    let term = environmentValue("TERM") ?? ""
    guard TerminalType.isKnown(term) else {
        throw UsageError("checkout-sim: unknown terminal type \"\(term)\" (TERM); try TERM=xterm-256color")
    }
    return (environmentValue("NO_COLOR") ?? "").isEmpty
}

/// `--client-timeout`: a duration between 1 ms and 1 h, as scenario files write it.
struct ClientTimeout: ExpressibleByArgument, Equatable {
    var millis: Int64

    init(millis: Int64) { self.millis = millis }

    init?(argument: String) {
        guard let millis = Duration.millis(parsing: argument), (1...3_600_000).contains(millis) else { return nil }
        self.millis = millis
    }

    var defaultValueDescription: String { Duration.milliseconds(millis).compactDescription }
}

/// Scenario files for the picker. A file that cannot be played is listed with its error
/// (picking it shows the error), so it does not silently go missing.
enum ScenarioCatalog {
    static func entries(in folders: [String]) -> [ScenarioEntry] {
        ScenarioFiles.collect(folders).files.map { file in
            do {
                let scenario = try ScenarioParser.parseOnLargeStack(contentsOf: file)
                let description = (scenario.description ?? "").split(whereSeparator: \.isNewline).joined(separator: " ")
                return ScenarioEntry(file: file, name: scenario.name, description: description)
            } catch {
                return ScenarioEntry(file: file, name: "\(file) (cannot be played)", description: "\(error)", error: "\(error)")
            }
        }
    }
}

/// `checkout-sim keys --markdown`: the key reference from the keymap table.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "Print the key reference.")

    @Flag(help: "As Markdown (docs/keys.md).")
    var markdown = false

    @Flag(help: "The backend rules table of docs/scenarios.md, from the rule table.")
    var rulesMarkdown = false

    func run() {
        if rulesMarkdown {
            print(RuleKind.markdownTable(), terminator: "")
        } else if markdown {
            print(Keymap.markdown(), terminator: "")
        } else {
            for binding in Keymap.bindings { print("\(binding.context.rawValue): \(binding.label)\t\(binding.description)") }
        }
    }
}
