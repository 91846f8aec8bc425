import CheckoutCore
import Foundation
import MockBackend
import Scenarios
import Simulation
import WireLint

/// The panels that take focus.
public enum Panel: Int, CaseIterable, Sendable {
    case cart, timeline, backend
}

/// The TUI's state: the engine, focus and selections, the open overlay (each
/// kind with its own state and keys, `OverlayState`) and presenter mode. Keys
/// come in through `handle`, time through `tick`; `screen()` is the value the
/// view draws.
public final class AppModel {
    public private(set) var simulation: Simulation
    /// Shown in the header.
    public var stateLabel: String
    /// Actions the front end wants applied once the first frame is on screen (a fresh state
    /// directory starts with one item in the cart, so a first `c` validates at once).
    public var afterFirstFrame: [Action] = []
    /// Applies `afterFirstFrame` once: on the first tick or the first key, whichever comes first
    /// (the first item costs a localStorage write, which the first frame does not wait for).
    private func applyAfterFirstFrame() {
        guard !afterFirstFrame.isEmpty else { return }
        let actions = afterFirstFrame
        afterFirstFrame = []
        for action in actions { apply(action) }
    }

    /// The `--seed` the session started with, shown in the header; `nil` when unseeded.
    public var seedLabel: UInt64?
    public var focus: Panel = .cart
    public var cartSelection = 0
    /// The selected timeline row; `nil` follows the newest.
    public var timelineSelection: TimelineSelection?
    /// What `C` copied, until the front end takes it.
    public private(set) var copiedText: String?
    /// The open overlay and its own state.
    public private(set) var overlayState: OverlayState?
    /// Which overlay is open.
    public var overlay: Overlay? { overlayState?.kind }
    /// The first row shown by a reading overlay (help, request details).
    public var overlayScroll: Int {
        if case .reading(let reading) = overlayState { return reading.scroll }
        return 0
    }
    /// The terminal's size, kept up to date by the front end: reading overlays page by it.
    public var screenSize = (width: 120, height: 40)
    /// The redirect whose bank page the user closed with Esc: it stays closed.
    private var dismissedRedirect: String?
    /// A short line about the last UI action (armed a rule, toggled the guard); every
    /// one also goes to the message log.
    public var status: String? {
        didSet { if let status, status != oldValue { simulation.log(status, kind: .status) } }
    }
    public var spinnerFrame = 0
    public private(set) var quitRequested = false
    public private(set) var backendView = BackendView()
    /// Presenter mode, when a scenario is playing.
    public var presenter: PresenterState?
    /// Scenario files for the picker, loaded on first use.
    public private(set) var scenarioFiles: [ScenarioEntry] = []
    /// Finds the picker's scenarios; called when `s` is first pressed, so
    /// start-up does not parse the catalog.
    public var loadScenarios: (() -> [ScenarioEntry])?
    /// Real time for autoplay; tests replace it.
    public var wallClockMillis: () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    /// `serve`: where it listens, what real clients sent (shown in the timeline), the lint; `nil` when not serving.
    public var wire: WireState?
    /// Hands over the requests real clients sent since the last call (`serve`); polled on every tick.
    public var pollWire: (() -> [WireRow])?
    /// Hands over the lint's latest report when it changed (`serve`); polled on every tick.
    public var pollLint: (() -> LintReport?)?
    /// Called when the user asks for the scenario picker or recording; set by the front end.
    public var recorder: ScenarioRecorderHook?

    /// `deferBackend`: leave the backend panel empty until the first tick, so the
    /// first frame is drawn before the backend's database is opened.
    public init(simulation: Simulation, stateLabel: String, deferBackend: Bool = false) {
        self.simulation = simulation
        self.stateLabel = stateLabel
        if !deferBackend { refreshBackendView() }
    }

    /// Swaps the engine (presenter mode plays on its own simulation).
    public func replaceSimulation(_ simulation: Simulation) {
        self.simulation = simulation
        timelineSelection = nil
        cartSelection = 0
        refreshBackendView()
    }

    // MARK: - Messages

    /// Time passed: deliver due replies, follow other tabs, animate the spinner.
    public func tick() {
        applyAfterFirstFrame()
        let answered = simulation.requestCount
        simulation.deliverDue()
        if simulation.inFlightCount > 0 { spinnerFrame += 1 }
        if let redirect = simulation.client.pendingRedirect {
            if overlayState == nil, redirect != dismissedRedirect { overlayState = .bankPage }
        } else if overlayState == .bankPage {
            overlayState = nil
        }
        // The backend panel reads the database: after something happened here,
        // and once a second to follow other tabs, not on every frame.
        if let arrived = pollWire?(), !arrived.isEmpty {
            wire?.append(arrived)
            backendViewStale = true
        }
        if let report = pollLint?() {
            wire?.lint = report
            backendViewStale = true  // the clients' keys it names decide which sessions are orphans
        }
        let now = wallClockMillis()
        if backendViewStale || simulation.requestCount != answered || now - backendViewReadAtMillis >= 1000 {
            refreshBackendView()
            backendViewReadAtMillis = now
            backendViewStale = false
            simulation.reportStorageNotices()
        }
        presenter?.tick(model: self)
    }

    private var backendViewStale = true
    private var backendViewReadAtMillis: Int64 = 0

    /// A key was pressed. The front end calls `tick()` after it, so replies
    /// that are already due and the backend panel are picked up once. The open
    /// overlay sees the key first, then presenter mode, then the main keymap.
    /// `q` and `?` work on every screen but the reading overlays (where they
    /// close it) and the picker (where they are typed).
    public func handle(_ key: KeyPress) {
        applyAfterFirstFrame()
        if key == .resize { return }
        backendViewStale = true
        if var state = overlayState {
            let outcome: OverlayOutcome
            switch state {
            case .reading(var reading):
                outcome = reading.handle(key, page: readingPage(reading.kind))
                state = .reading(reading)
            case .backendMenu(var menu):
                outcome = menu.handle(key, armed: simulation.backend.rules.rules.count)
                state = .backendMenu(menu)
            case .ruleEditor(var editor):
                outcome = editor.handle(key)
                state = .ruleEditor(editor)
            case .bankPage:
                outcome = BankPage.handle(key, presenting: presenter != nil)
            case .picker(var picker):
                outcome = picker.handle(key)
                state = .picker(picker)
            case .products(var products):
                outcome = products.handle(key)
                state = .products(products)
            }
            overlayState = state
            if follow(outcome) { return }
        }
        if presenter != nil {
            let outcome = presenter?.handle(key, model: self) ?? .notMine
            if outcome == .close {
                if presenter?.interactiveSimulation == nil { quitRequested = true } else { endPresentation() }
            }
            if outcome != .notMine { return }
        }
        guard let action = Keymap.binding(for: key, in: .main)?.action else { return }
        if let overlayState, !overlayState.letsThrough(action) { return }
        perform(action)
    }

    /// Carries out what the open overlay decided; `false`: the key was not its own.
    private func follow(_ outcome: OverlayOutcome) -> Bool {
        switch outcome {
        case .stay: break
        case .close:
            if overlayState == .bankPage { dismissedRedirect = simulation.client.pendingRedirect }
            overlayState = nil
        case .closeAndApply(let action):
            overlayState = nil
            apply(action)
        case .apply(let action):
            apply(action)
            if overlayState == .bankPage, simulation.client.pendingRedirect == nil { overlayState = nil }
        case .play(let entry):
            overlayState = nil
            recorder?.startPresenter(entry, model: self)
        case .open(let next): overlayState = next
        case .copyRequest(let number): copyRequest(number: number)
        case .copyWireRequest(let number): copyWireRequest(number: number)
        case .notMine: return false
        }
        return true
    }

    func perform(_ intent: AppAction) {
        status = nil
        if let action = action(for: intent) {
            apply(action)
            return
        }
        switch intent {
        case .backendMenu: overlayState = .backendMenu(BackendMenu())
        case .scenarios:
            if let load = loadScenarios {
                scenarioFiles = load()
                loadScenarios = nil
            }
            overlayState = .picker(ScenarioPicker(entries: scenarioFiles))
        case .record: recorder?.toggle(model: self)
        case .help: overlayState = .reading(ReadingOverlay(.help))
        case .addItem: overlayState = .products(productPicker())
        case .messages:
            var reading = ReadingOverlay(.messages)
            reading.scroll(.pageDown, page: readingPage(.messages), toEnd: true)  // the newest in view
            overlayState = .reading(reading)
        case .quit: quitRequested = true
        case .focusNext: focus = Panel(rawValue: (focus.rawValue + 1) % Panel.allCases.count)!
        case .focusPrevious: focus = Panel(rawValue: (focus.rawValue + Panel.allCases.count - 1) % Panel.allCases.count)!
        case .moveUp, .moveDown: moveSelection(intent == .moveUp ? -1 : 1)
        case .details:
            switch selectedRow() {
            case .request(let number)?: overlayState = .reading(ReadingOverlay(.requestDetail(number: number)))
            case .wire(let number)?: overlayState = .reading(ReadingOverlay(.wireDetail(number: number)))
            case nil: break
            }
        case .copyCurl:
            switch selectedRow() {
            case .request(let number)?: copyRequest(number: number)
            case .wire(let number)?: copyWireRequest(number: number)
            case nil: break
            }
        case .closeOverlay: overlayState = nil
        default: break
        }
    }

    /// `C`: the request as a `curl` command, for the front end to put on the clipboard
    /// (`takeCopiedText`); the details overlay shows the same command.
    func copyRequest(number: Int) {
        guard let entry = simulation.timeline.first(where: { $0.number == number }) else { return }
        copiedText = Reading.curlCommand(entry.record)
        status = "copied request #\(number) as a curl command" + (overlayState == nil ? " (Enter shows it)" : "")
    }

    /// `C` on a real client's request: the same command, with its own JSON and path.
    func copyWireRequest(number: Int) {
        guard let row = wire?.rows.first(where: { $0.number == number }) else { return }
        guard let command = Reading.curlCommand(row) else {
            status = "request ⇄\(number) did not decode: nothing to copy"
            return
        }
        copiedText = command
        status = "copied request ⇄\(number) as a curl command" + (overlayState == nil ? " (Enter shows it)" : "")
    }

    /// The text `C` copied since the last call, once: the terminal layer sends it to the clipboard.
    public func takeCopiedText() -> String? {
        defer { copiedText = nil }
        return copiedText
    }

    /// The change to the world a key's intent means now (`nil`: it only moves
    /// the screen). Every change to the simulation goes through one of these.
    public func action(for intent: AppAction) -> Action? {
        let sim = simulation
        switch intent {
        case .checkout: return .checkout(clicks: 1)
        case .doubleClick: return .checkout(clicks: 2)
        case .refresh: return .refresh
        case .retry: return .retry
        case .pay: return .pay(card: sim.selectedCard)
        case .cycleMethod: return .paymentMethod(sim.client.paymentMethod.next)
        case .cycleCard:
            let all = TestCard.allCases.map(\.rawValue)
            return .selectCard(all[((all.firstIndex(of: sim.selectedCard) ?? -1) + 1) % all.count])
        case .increment, .decrement: return quantityChange(by: intent == .increment ? 1 : -1)
        case .fillForm: return .fillForm(FormData(email: "qa@example.com", name: "Ada Lovelace"))
        case .toggleGuard: return .setGuard(!sim.client.settings.doubleSubmitGuard)
        case .toggleClient: return .setClient(sim.client.settings.policy.next)
        case .startNewOrder: return .startNewOrder
        case .tamperKey: return .setStoredKey("tampered-\(sim.requestCount + 1)")
        case .clearStorage: return .clearStorage
        case .disarmAll: return .disarmAll
        default: return nil
        }
    }

    /// Applies `action` to the simulation and follows it on screen.
    public func apply(_ action: Action) {
        status = simulation.apply(action)
        switch action {
        case .pay: if simulation.client.pendingRedirect != nil { overlayState = .bankPage }
        case .addItem(let sku, _): cartSelection = simulation.client.cart.firstIndex { $0.sku == sku } ?? cartSelection
        case .removeItem: cartSelection = max(0, min(cartSelection, simulation.client.cart.count - 1))
        default: break
        }
    }

    /// The text of a reading overlay on the current screen, for scrolling.
    private func readingPage(_ kind: ReadingOverlay.Kind) -> Reading.Page {
        Reading.page(kind, timeline: simulation.timeline, messages: simulation.messages, wire: wire?.rows ?? [],
                     width: screenSize.width, height: screenSize.height)
    }

    /// The selected cart line one more or one less (none: removed).
    private func quantityChange(by delta: Int) -> Action? {
        let cart = simulation.client.cart
        guard !cart.isEmpty else { status = "the cart is empty: press a to add an item"; return nil }
        let line = cart[min(cartSelection, cart.count - 1)]
        guard line.qty < CartLine.maxQuantity || delta < 0 else {
            status = "at most \(CartLine.maxQuantity) of one item"
            return nil
        }
        let qty = line.qty + delta  // within ±maxQuantity ± 1: cannot overflow
        return qty <= 0 ? .removeItem(sku: line.sku) : .setQty(sku: line.sku, qty: qty)
    }

    private func moveSelection(_ delta: Int) {
        switch focus {
        case .cart:
            let count = simulation.client.cart.count
            guard count > 0 else { return }
            cartSelection = max(0, min(count - 1, cartSelection + delta))
        case .timeline:
            let rows = timelineRows()
            guard let last = rows.last else { return }
            let current = timelineSelection.flatMap { rows.firstIndex(of: $0) } ?? rows.count - 1
            let index = max(0, min(rows.count - 1, current + delta))
            timelineSelection = rows[index] == last ? nil : rows[index]
        case .backend: break
        }
    }

    // MARK: - Backend cache

    public func refreshBackendView() {
        let store = simulation.backend.store
        var view = BackendView()
        view.loaded = true
        // Rules live in the database: another tab, `rules add` or serve's admin API may have armed some.
        simulation.backend.refreshRules()
        view.rules = simulation.backend.rules.rules.map(\.label)
        view.queue = simulation.backend.rules.rules.map(\.queueLabel)
        view.counters = (try? store.counters()) ?? BackendCounters()
        view.sessions = (try? store.recentSessions(limit: 12)) ?? []
        for session in view.sessions {
            if let intent = try? store.intent(id: session.paymentIntentID) { view.intents[intent.id] = intent }
        }
        markOrphans(&view)
        view.journalCount = (try? store.journalCount()) ?? 0
        view.unavailable = store.unavailableReason
        backendView = view
    }
}

/// A scenario file the picker offers.
public struct ScenarioEntry: Equatable, Sendable {
    public var file: String
    public var name: String
    public var description: String
    /// Why the file cannot be played, for a file listed anyway.
    public var error: String?

    public init(file: String, name: String, description: String, error: String? = nil) {
        self.file = file
        self.name = name
        self.description = description
        self.error = error
    }
}

/// What the front end does for recording and presenter mode (they need files).
public protocol ScenarioRecorderHook: AnyObject {
    /// Starts or stops recording `model.simulation` (the recorder follows its actions).
    func toggle(model: AppModel)
    func startPresenter(_ entry: ScenarioEntry, model: AppModel)
    /// Whether recording is on, for the header.
    var isRecording: Bool { get }
}

extension AppModel {
    /// The product picker for `a`: every catalog product with its stock and what the cart
    /// holds, starting at the first one not in the cart yet.
    func productPicker() -> ProductPicker {
        let cart = simulation.client.cart
        let rows = simulation.backend.catalog.products.map { product in
            ProductPicker.Row(sku: product.sku, name: product.name, priceCents: product.priceCents, stock: product.stock,
                              inCart: cart.first { $0.sku == product.sku }?.qty ?? 0)
        }
        return ProductPicker(rows: rows, selected: rows.first { $0.inCart == 0 && $0.stock > 0 }?.sku)
    }
}
