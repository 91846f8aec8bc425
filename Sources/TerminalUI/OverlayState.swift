import Foundation
import MockBackend
import Simulation

/// Which overlay covers the main screen (the state of each is in `OverlayState`).
public enum Overlay: Equatable, Sendable {
    case help
    case backendMenu
    case ruleEditor
    case threeDSecure
    case requestDetail(number: Int)
    /// A real client's request (`serve`), by its `WireRow.number`.
    case wireDetail(number: Int)
    case scenarioPicker
    case messages
    case productPicker
}

/// What an overlay, or presenter mode, did with a key.
public enum OverlayOutcome: Equatable {
    /// Handled; the overlay stays (its state may have changed).
    case stay
    /// Handled; the overlay closes (presenter mode: the demo ends).
    case close
    /// Close, then change the world (the backend menu arms a rule).
    case closeAndApply(Action)
    /// Change the world; the overlay stays as long as it still applies.
    case apply(Action)
    /// Close and present this scenario.
    case play(ScenarioEntry)
    /// Another overlay takes this one's place (the backend menu's rule editor).
    case open(OverlayState)
    /// Copy this request as a curl command (a UI effect, not a change to the world).
    case copyRequest(number: Int)
    /// Copy a real client's request (`serve`) as a curl command.
    case copyWireRequest(number: Int)
    /// Not this overlay's key: the main screen's keymap decides.
    case notMine
}

/// An open overlay and its own state; each kind handles its own keys.
public enum OverlayState: Equatable {
    case reading(ReadingOverlay)
    case backendMenu(BackendMenu)
    case ruleEditor(RuleEditor)
    case bankPage
    case picker(ScenarioPicker)
    case products(ProductPicker)

    public var kind: Overlay {
        switch self {
        case .reading(let reading): reading.kind.overlay
        case .backendMenu: .backendMenu
        case .ruleEditor: .ruleEditor
        case .bankPage: .threeDSecure
        case .picker: .scenarioPicker
        case .products: .productPicker
        }
    }

    /// Whether a main-screen key still works while this overlay is open.
    func letsThrough(_ action: AppAction) -> Bool {
        switch self {
        case .backendMenu: action == .quit || action == .help
        case .bankPage: true
        case .reading, .picker, .ruleEditor, .products: false
        }
    }
}

// MARK: - Reading overlays

/// Help, a request's details or the message log, and how far it is scrolled.
public struct ReadingOverlay: Equatable {
    public enum Kind: Equatable {
        case help, messages
        case requestDetail(number: Int)
        case wireDetail(number: Int)

        var overlay: Overlay {
            switch self {
            case .help: .help
            case .messages: .messages
            case .requestDetail(let number): .requestDetail(number: number)
            case .wireDetail(let number): .wireDetail(number: number)
            }
        }
    }

    public var kind: Kind
    /// The first row shown.
    public private(set) var scroll = 0

    public init(_ kind: Kind) { self.kind = kind }

    /// Scrolls or closes, within `page`; every other key is swallowed.
    mutating func handle(_ key: KeyPress, page: Reading.Page) -> OverlayOutcome {
        guard let action = Keymap.binding(for: key, in: .reading)?.action else { return .stay }
        if action == .closeOverlay { return .close }
        if action == .copyCurl {
            switch kind {
            case .requestDetail(let number): return .copyRequest(number: number)
            case .wireDetail(let number): return .copyWireRequest(number: number)
            case .help, .messages: return .stay
            }
        }
        scroll(action, page: page)
        return .stay
    }

    /// `pageDown` with `toEnd` goes to the last page.
    mutating func scroll(_ action: AppAction, page: Reading.Page, toEnd: Bool = false) {
        switch action {
        case .scrollUp: scroll -= 1
        case .scrollDown: scroll += 1
        case .pageUp: scroll -= page.visibleRows
        case .pageDown: scroll += toEnd ? page.maxScroll : page.visibleRows
        default: break
        }
        scroll = min(max(scroll, 0), page.maxScroll)
    }
}

// MARK: - Backend menu

/// The rules menu: how often the next rule fires, and the armed rule selected
/// in the queue it shows.
public struct BackendMenu: Equatable {
    public private(set) var firing: RuleFiring = .once
    /// The selected armed rule (0 is the first armed).
    public private(set) var selection = 0

    public init() {}

    /// Its own keys, given how many rules are armed; `notMine` for the rest
    /// (of which only quit and help work).
    mutating func handle(_ key: KeyPress, armed: Int = 0) -> OverlayOutcome {
        guard let binding = Keymap.binding(for: key, in: .backendMenu) else { return .notMine }
        selection = max(0, min(selection, armed - 1))
        switch binding.action {
        case .closeOverlay: return .close
        case .ruleEditor: return .open(.ruleEditor(RuleEditor(firing: firing)))
        case .selectArmed:
            selection = max(0, min(armed - 1, selection + (key == .up ? -1 : 1)))
            return .stay
        case .removeArmed:
            guard armed > 0 else { return .stay }
            let position = selection + 1
            selection = max(0, min(selection, armed - 2))
            return .apply(.disarm(position: position))
        case .disarmAll:
            // The menu stays: its queue then shows what disarming left (nothing).
            selection = 0
            return .apply(.disarmAll)
        default: break
        }
        if case .character(let c) = key, let n = c.wholeNumberValue, n >= 1 { firing = .times(n); return .stay }
        if key == .character("A") { firing = .always; return .stay }
        if let rule = binding.rule { return .closeAndApply(.arm(rule, firing)) }
        return .close
    }
}

// MARK: - 3-D Secure

enum BankPage {
    /// `y` and `n` answer the bank, Esc leaves it open in the background.
    /// Presenter mode plays the scenario's own answer (Space), so there every
    /// key is the presenter's.
    static func handle(_ key: KeyPress, presenting: Bool) -> OverlayOutcome {
        guard !presenting else { return .notMine }
        switch key {
        case .character("y"): return .apply(.returnFromRedirect(.succeeded))
        case .character("n"): return .apply(.returnFromRedirect(.failed))
        case .escape: return .close
        default: return .notMine
        }
    }
}

// MARK: - Scenario picker

/// The scenario files, the typed filter and the selected match.
public struct ScenarioPicker: Equatable {
    public var entries: [ScenarioEntry]
    public private(set) var filter = ""
    public private(set) var selection = 0

    public init(entries: [ScenarioEntry]) { self.entries = entries }

    /// The scenarios that match the typed filter.
    public var matches: [ScenarioEntry] {
        guard !filter.isEmpty else { return entries }
        return entries.filter {
            $0.name.localizedCaseInsensitiveContains(filter) || $0.file.localizedCaseInsensitiveContains(filter)
        }
    }

    /// Every key is the picker's: letters are typed into the filter.
    mutating func handle(_ key: KeyPress) -> OverlayOutcome {
        switch key {
        case .escape: return .close
        case .up: selection = max(0, selection - 1)
        case .down: selection = min(max(matches.count - 1, 0), selection + 1)
        case .backspace: filter = String(filter.dropLast()); selection = 0
        case .enter:
            let matches = matches
            return matches.indices.contains(selection) ? .play(matches[selection]) : .stay
        case .character(let c) where !c.isNewline:
            filter.append(c)
            selection = 0
        default: break
        }
        return .stay
    }
}

// MARK: - Product picker

/// The catalog's products to add to the cart, with stock, and the selected one.
public struct ProductPicker: Equatable {
    /// One product as the picker shows it.
    public struct Row: Equatable {
        public var sku: String
        public var name: String
        public var priceCents: Int64
        public var stock: Int
        /// How many the cart holds already.
        public var inCart: Int
    }

    public var rows: [Row]
    public private(set) var selection = 0

    public init(rows: [Row], selected sku: String? = nil) {
        self.rows = rows
        selection = rows.firstIndex { $0.sku == sku } ?? 0
    }

    /// ↑/↓ choose, Enter adds one of the selected product (out of stock too: the backend's
    /// validation is then what the shopper meets), Esc closes.
    mutating func handle(_ key: KeyPress) -> OverlayOutcome {
        switch Keymap.binding(for: key, in: .productPicker)?.action {
        case .moveUp?: selection = max(0, selection - 1)
        case .moveDown?: selection = min(max(rows.count - 1, 0), selection + 1)
        case .details?:
            guard rows.indices.contains(selection) else { return .close }
            return .closeAndApply(.addItem(sku: rows[selection].sku, qty: 1))
        case .closeOverlay?: return .close
        default: break
        }
        return .stay
    }
}
