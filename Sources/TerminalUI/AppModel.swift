import CheckoutCore
import Foundation
import MockBackend
import Scenarios
import Simulation

/// The panels that take focus.
public enum Panel: Int, CaseIterable, Sendable {
    case cart, timeline, backend
}

/// What covers the main screen.
public enum Overlay: Equatable, Sendable {
    case help
    case backendMenu
    case threeDSecure
    case requestDetail(number: Int)
    case scenarioPicker
    case messages
}

/// What the backend panel shows, read from the store on ticks and after
/// actions so that rendering never touches the database.
public struct BackendView: Equatable, Sendable {
    public var rules: [String] = []
    public var sessions: [PaymentSession] = []
    public var intents: [String: PaymentIntent] = [:]
    public var counters = BackendCounters()
    public var orphaned = 0
    public var journalCount = 0
    /// Why the backend's database cannot be used now (another tab holds it locked).
    public var unavailable: String?
    /// False until the store was first read (the first frame comes before).
    public var loaded = false
}

/// The TUI's whole state: the engine plus what only the screen cares about.
public final class AppModel {
    public private(set) var simulation: Simulation
    /// Shown in the header.
    public var stateLabel: String
    public var focus: Panel = .cart
    public var cartSelection = 0
    /// The selected timeline entry's number; `nil` follows the newest.
    public var timelineSelection: Int?
    public var overlay: Overlay? {
        didSet { if overlay != oldValue { overlayScroll = 0 } }
    }
    /// The first row shown by a reading overlay (help, request details).
    public private(set) var overlayScroll = 0
    /// The terminal's size, kept up to date by the front end: reading overlays page by it.
    public var screenSize = (width: 120, height: 40)
    public var menuFiring: RuleFiring = .once
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
    public var scenarioFiles: [ScenarioEntry] = []
    /// Finds the picker's scenarios; called when `s` is first pressed, so
    /// start-up does not parse the catalog.
    public var loadScenarios: (() -> [ScenarioEntry])?
    public var pickerFilter = ""
    public var pickerSelection = 0
    /// Real time for autoplay; tests replace it.
    public var wallClockMillis: () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
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
        let answered = simulation.requestCount
        simulation.deliverDue()
        if simulation.inFlightCount > 0 { spinnerFrame += 1 }
        if let redirect = simulation.client.pendingRedirect {
            if overlay == nil, redirect != dismissedRedirect { overlay = .threeDSecure }
        } else if overlay == .threeDSecure {
            overlay = nil
        }
        // The backend panel reads the database: after something happened here,
        // and once a second to follow other tabs, not on every frame.
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
    /// that are already due and the backend panel are picked up once.
    /// `q` and `?` work on every screen but the reading overlays (where they
    /// close it) and the picker (where they are typed).
    public func handle(_ key: KeyPress) {
        if key == .resize { return }
        backendViewStale = true
        switch overlay {
        case .backendMenu:
            if handleMenu(key) { return }
        case .threeDSecure:
            if handleBankPage(key) { return }
        case .scenarioPicker: return handlePicker(key)
        case .help, .requestDetail, .messages:
            if let action = Keymap.binding(for: key, in: .reading)?.action { read(action) }
            return
        case nil: break
        }
        if let presenter, key == .escape {
            if presenter.interactiveSimulation == nil { quitRequested = true } else { endPresentation() }
            return
        }
        if presenter != nil, let binding = Keymap.binding(for: key, in: .presenter), let action = binding.action {
            presenter?.handle(action, model: self)
            return
        }
        guard let action = Keymap.binding(for: key, in: .main)?.action else { return }
        if overlay == .backendMenu, action != .quit, action != .help { return }
        perform(action)
    }

    func perform(_ intent: AppAction) {
        status = nil
        if let action = action(for: intent) {
            apply(action)
            return
        }
        let sim = simulation
        switch intent {
        case .backendMenu: overlay = .backendMenu; menuFiring = .once
        case .scenarios:
            if let load = loadScenarios {
                scenarioFiles = load()
                loadScenarios = nil
            }
            overlay = .scenarioPicker
            pickerFilter = ""
            pickerSelection = 0
        case .record: recorder?.toggle(model: self)
        case .help: overlay = .help
        case .messages:
            overlay = .messages
            read(.pageDown, pages: .max)  // the newest at the bottom, in view
        case .quit: quitRequested = true
        case .focusNext: focus = Panel(rawValue: (focus.rawValue + 1) % Panel.allCases.count)!
        case .focusPrevious: focus = Panel(rawValue: (focus.rawValue + Panel.allCases.count - 1) % Panel.allCases.count)!
        case .moveUp, .moveDown: moveSelection(intent == .moveUp ? -1 : 1)
        case .details:
            let number = timelineSelection ?? sim.timeline.last?.number
            if let number { overlay = .requestDetail(number: number) }
        case .closeOverlay: overlay = nil
        case .scrollUp, .scrollDown, .pageUp, .pageDown: read(intent)
        default: break
        }
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
        case .addItem:
            let products = sim.backend.catalog.products.filter { $0.stock > 0 }
            let next = products.first { p in !sim.client.cart.contains { $0.sku == p.sku } } ?? products[0]
            return .addItem(sku: next.sku, qty: 1)
        case .increment, .decrement: return quantityChange(by: intent == .increment ? 1 : -1)
        case .fillForm: return .fillForm(FormData(email: "qa@example.com", name: "Ada Lovelace"))
        case .toggleGuard: return .setGuard(!sim.client.settings.doubleSubmitGuard)
        case .toggleClient: return .setClient(sim.client.settings.variant == .standard ? .legacy : .standard)
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
        case .pay: if simulation.client.pendingRedirect != nil { overlay = .threeDSecure }
        case .addItem(let sku, _): cartSelection = simulation.client.cart.firstIndex { $0.sku == sku } ?? cartSelection
        case .removeItem: cartSelection = max(0, min(cartSelection, simulation.client.cart.count - 1))
        default: break
        }
    }

    /// Scrolls or closes the reading overlay, within its text.
    private func read(_ action: AppAction, pages: Int = 1) {
        guard let overlay, let page = Reading.page(overlay, self, width: screenSize.width, height: screenSize.height) else { return }
        switch action {
        case .scrollUp: overlayScroll -= 1
        case .scrollDown: overlayScroll += 1
        case .pageUp: overlayScroll -= page.visibleRows
        case .pageDown: overlayScroll += pages == .max ? page.maxScroll : page.visibleRows
        case .closeOverlay: self.overlay = nil
        default: break
        }
        overlayScroll = min(max(overlayScroll, 0), page.maxScroll)
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
            let numbers = simulation.timeline.map(\.number)
            guard let last = numbers.last else { return }
            let current = timelineSelection ?? last
            let index = (numbers.firstIndex(of: current) ?? numbers.count - 1) + delta
            let clamped = max(0, min(numbers.count - 1, index))
            timelineSelection = clamped == numbers.count - 1 ? nil : numbers[clamped]
        case .backend: break
        }
    }

    // MARK: - Overlays

    /// The backend menu's keys; `false`: not one of them.
    private func handleMenu(_ key: KeyPress) -> Bool {
        guard let binding = Keymap.binding(for: key, in: .backendMenu) else { return false }
        if binding.action == .closeOverlay { overlay = nil; return true }
        if case .character(let c) = key, let n = c.wholeNumberValue, n >= 1 { menuFiring = .times(n); return true }
        if key == .character("A") { menuFiring = .always; return true }
        overlay = nil
        if let rule = binding.rule {
            apply(.arm(rule, menuFiring))
        } else if binding.action == .disarmAll {
            apply(.disarmAll)
        }
        return true
    }

    /// The bank page's own keys: `y` and `n` answer it, Esc leaves it open in
    /// the background. Presenter mode plays the scenario's own answer
    /// (Space), so there only Esc is left to the presenter. `false`: every
    /// other key works as on the main screen.
    private func handleBankPage(_ key: KeyPress) -> Bool {
        guard presenter == nil else { return false }
        switch key {
        case .character("y"): apply(.returnFromRedirect(.succeeded))
        case .character("n"): apply(.returnFromRedirect(.failed))
        case .escape:
            dismissedRedirect = simulation.client.pendingRedirect
            overlay = nil
        default: return false
        }
        overlay = simulation.client.pendingRedirect == nil ? nil : overlay
        return true
    }

    private func handlePicker(_ key: KeyPress) {
        let matches = filteredScenarios
        switch key {
        case .escape: overlay = nil
        case .up: pickerSelection = max(0, pickerSelection - 1)
        case .down: pickerSelection = min(max(matches.count - 1, 0), pickerSelection + 1)
        case .backspace: pickerFilter = String(pickerFilter.dropLast()); pickerSelection = 0
        case .enter:
            guard matches.indices.contains(pickerSelection) else { return }
            overlay = nil
            recorder?.startPresenter(matches[pickerSelection], model: self)
        case .character(let c) where !c.isNewline:
            pickerFilter.append(c)
            pickerSelection = 0
        default: break
        }
    }

    /// The picker's scenarios that match the typed filter.
    public var filteredScenarios: [ScenarioEntry] {
        guard !pickerFilter.isEmpty else { return scenarioFiles }
        return scenarioFiles.filter {
            $0.name.localizedCaseInsensitiveContains(pickerFilter) || $0.file.localizedCaseInsensitiveContains(pickerFilter)
        }
    }

    // MARK: - Backend cache

    public func refreshBackendView() {
        let store = simulation.backend.store
        var view = BackendView()
        view.loaded = true
        view.rules = simulation.backend.rules.rules.map(\.label)
        view.counters = (try? store.counters()) ?? BackendCounters()
        view.sessions = (try? store.recentSessions(limit: 12)) ?? []
        for session in view.sessions {
            if let intent = try? store.intent(id: session.paymentIntentID) { view.intents[intent.id] = intent }
        }
        let stored = simulation.storedKey
        view.orphaned = view.sessions.filter { $0.status == .open && $0.key != stored }.count
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
