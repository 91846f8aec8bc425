import CheckoutCore
import CheckoutProto
import Foundation
import MockBackend
import MockServer
import Simulation
import TerminalUI
import WireLint
import Synchronization

/// `serve` without `--headless`: the TUI as the control panel of a running server.
/// The server has its own backend on the same state directory (as a second tab
/// would), so the rule keys arm rules for the next external request, and its
/// requests reach the TUI's timeline as they are answered.
enum ServeInterface {
    static func launch(options: ServerOptions, limits: TransportLimits, stateDir: String?, seed: UInt64?,
                       client: ClientPolicy = .standard, journalLimit: JournalLimit = .standard, warning: String? = nil) throws {
        let tui = TUIOptions(stateDir: stateDir, seed: seed, client: client, record: nil,
                             clientTimeoutMillis: SimulationConfiguration.defaultClientTimeoutMillis, scenarioFolders: [])
        try TUICommand.launch(tui) { model, directory in
            attach(model: model, directory: directory, options: options, limits: limits, seed: seed, client: client,
                   journalLimit: journalLimit, warning: warning)
        }
    }

    private static func attach(model: AppModel, directory: URL, options: ServerOptions, limits: TransportLimits, seed: UInt64?,
                               client: ClientPolicy,
                               journalLimit: JournalLimit, warning: String?) -> () -> Void {
        let url = "http://\(ServerRunner.displayHost(options.host)):\(options.port)"
        model.wire = WireState(listening: "starting \(url)")
        model.wire?.warning = warning
        guard let store = try? SQLiteBackendStore(directory: directory, journalLimit: journalLimit) else {
            model.wire = WireState(listening: "not serving: the state directory cannot be opened")
            return {}
        }
        let host = BackendHost(backend: MockBackend(store: store, seed: seed.map { $0 &+ 1 }), lintPolicy: client)
        let inbox = WireInbox()
        host.observe { event in inbox.add(row(for: event)) }
        let stop = ServerRunner.start(host: host, options: options, limits: limits) { port in
            inbox.setListening("http://\(ServerRunner.displayHost(options.host)):\(port)\(options.prefix)")
        } onFailure: { message in
            inbox.setListening("not serving: \(message)")
        }
        model.pollWire = {
            if let listening = inbox.takeListening() { model.wire?.listening = listening }
            return inbox.drain()
        }
        // The lint reads the journal off the UI thread, once a second.
        let judge = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "checkout-sim.lint"))
        judge.schedule(deadline: .now(), repeating: .seconds(1))
        judge.setEventHandler { inbox.setLint(host.lint()) }
        judge.resume()
        model.pollLint = { inbox.takeLint() }
        return {
            judge.cancel()
            stop()
        }
    }

    /// The timeline's line for a real client's request, with what its details show: the
    /// request and the backend's reply as JSON, also when the wire then lost the reply.
    static func row(for event: WireEvent) -> WireRow {
        var keySent: String?
        if case .validation(let request) = event.request {
            keySent = request.idempotencyKey.isEmpty ? nil : request.idempotencyKey
        }
        var issued: String?
        var responseJSON: String?
        var errorMessage: String?
        if let bytes = event.intact {
            (responseJSON, issued) = decodedReply(event.method, bytes)
        } else if case .response(let bytes) = event.reply {
            (responseJSON, issued) = decodedReply(event.method, bytes)
        }
        let outcome: String
        let ok: Bool
        switch (event.wireFault, event.reply) {
        case (.timeout?, _): (outcome, ok) = ("held, closed (timeout)", false)
        case (.dropResponse?, _): (outcome, ok) = ("processed, reply dropped", false)
        case (.connectionReset?, _): (outcome, ok) = ("connection reset", false)
        case (.garbleResponse?, _): (outcome, ok) = ("garbled", false)
        case (_, .failure(let status)):
            (outcome, ok) = (status.code.name, false)
            errorMessage = status.message
        case (_, .timeout): (outcome, ok) = ("lost", false)
        case (_, .response): (outcome, ok) = ("ok", true)
        }
        return WireRow(atMillis: event.atMillis, peer: event.arrival.peer, userAgent: event.arrival.userAgent, method: event.method.shortName,
                       keySent: keySent, returnedKey: ok ? issued : nil, outcome: outcome, ok: ok, rules: event.firedRules,
                       client: event.arrival.client.id, path: event.arrival.path, wireProtocol: event.arrival.format.rawValue,
                       requestJSON: requestJSON(event.request), responseJSON: responseJSON, errorMessage: errorMessage, issuedKey: issued)
    }

    /// The request as proto3 JSON; `nil` for bytes that did not decode.
    private static func requestJSON(_ request: BackendRequest) -> String? {
        switch request {
        case .validation(let message): ProtoJSON.string(message)
        case .payment(let message): ProtoJSON.string(message)
        case .redirect(let message): ProtoJSON.string(message)
        case .malformed: nil
        }
    }

    /// A reply's bytes as proto3 JSON, and the key a validation's reply carries.
    private static func decodedReply(_ method: RPCMethod, _ bytes: Data) -> (json: String?, key: String?) {
        switch method {
        case .validateOrderItemsInsert:
            guard let response = try? Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: bytes) else { return (nil, nil) }
            return (ProtoJSON.string(response), response.idempotencyKey.isEmpty ? nil : response.idempotencyKey)
        case .confirmPayment:
            return ((try? Checkout_V1_ConfirmPaymentResponse(serializedBytes: bytes)).map { ProtoJSON.string($0) }, nil)
        case .completeRedirect:
            return ((try? Checkout_V1_CompleteRedirectResponse(serializedBytes: bytes)).map { ProtoJSON.string($0) }, nil)
        }
    }
}

/// Requests answered on the server's threads, waiting for the TUI's next tick.
private final class WireInbox: Sendable {
    private struct State {
        var rows: [WireRow] = []
        var listening: String?
        var lint: LintReport?
        var lintChanged = false
    }

    private let state = Mutex(State())

    func add(_ row: WireRow) { state.withLock { $0.rows.append(row) } }
    func drain() -> [WireRow] { state.withLock { state in defer { state.rows = [] }; return state.rows } }

    func setListening(_ text: String) { state.withLock { $0.listening = text } }
    /// Keeps `report` for the next tick if it differs from the last one.
    func setLint(_ report: LintReport) {
        state.withLock { state in
            guard report != state.lint else { return }
            state.lint = report
            state.lintChanged = true
        }
    }
    func takeLint() -> LintReport? {
        state.withLock { state in
            defer { state.lintChanged = false }
            return state.lintChanged ? state.lint : nil
        }
    }
    func takeListening() -> String? { state.withLock { state in defer { state.listening = nil }; return state.listening } }
}
