import CheckoutCore
import MockBackend

/// A key as the terminal layer reports it.
public enum KeyPress: Equatable, Hashable, Sendable {
    case character(Character)
    case up, down, left, right, enter, escape, tab, backTab, backspace, delete, pageUp, pageDown
    case resize
}

/// Everything a key can do on the main screen.
public enum AppAction: String, Equatable, Sendable, CaseIterable {
    case checkout, doubleClick, refresh, retry, pay, cycleMethod, cycleCard, addItem, increment, decrement
    case fillForm, toggleGuard, toggleClient, startNewOrder, tamperKey, clearStorage, disarmAll
    case backendMenu, scenarios, record, messages, help, quit
    case focusNext, focusPrevious, moveUp, moveDown, details, copyCurl, closeOverlay
    case presenterNext, presenterBack, presenterAutoplay, presenterSlower, presenterFaster
    case scrollUp, scrollDown, pageUp, pageDown
    /// The backend menu's armed queue and its rule editor.
    case ruleEditor, selectArmed, removeArmed
    case previousField, nextField, choose, eraseCharacter, clearField, armRule
}

/// Where a binding applies.
public enum KeyContext: String, Sendable, CaseIterable {
    case main = "Main screen"
    case backendMenu = "Backend rules menu (b)"
    case ruleEditor = "Rule editor (E in the backend menu)"
    case threeDSecure = "3-D Secure page"
    case presenter = "Presenter mode"
    case productPicker = "Product picker (a)"
    case reading = "Keys, request details and messages (?, Enter and l)"
}

/// One row of the keymap: it drives dispatch, the footer, the `?` overlay and docs/keys.md.
public struct KeyBinding: Equatable, Sendable {
    /// The keys that trigger it.
    public var keys: [KeyPress]
    /// How the keys are shown: `c`, `↑/k`.
    public var label: String
    public var description: String
    /// Shown in the footer (short form) as well as in help.
    public var footer: String?
    public var context: KeyContext
    public var action: AppAction?
    /// For backend-menu rows: the rule it arms (rows follow `RuleKind.table`).
    public var rule: RuleKind?
}

/// The one keymap table.
public enum Keymap {
    private static func key(_ label: String, _ keys: [KeyPress], _ description: String, footer: String? = nil,
                            _ context: KeyContext = .main, action: AppAction? = nil, rule: RuleKind? = nil) -> KeyBinding {
        KeyBinding(keys: keys, label: label, description: description, footer: footer, context: context, action: action, rule: rule)
    }

    private static func ch(_ c: Character) -> [KeyPress] { [.character(c)] }

    public static let bindings: [KeyBinding] = [
        key("c", ch("c"), "Checkout: validate the cart (sends the stored key, if any)", footer: "checkout", action: .checkout),
        key("d", ch("d"), "Double-click checkout (two clicks before any reply)", action: .doubleClick),
        key("r", ch("r"), "Refresh the page: reload from localStorage and validate", footer: "refresh", action: .refresh),
        key("y", ch("y"), "Retry (the \"try again\" button)", action: .retry),
        key("p", ch("p"), "Pay with the selected test card", footer: "pay", action: .pay),
        key("m", ch("m"), "Next payment method (CARD, CARD_TEST, cash, bank transfer)", footer: "method", action: .cycleMethod),
        key("t", ch("t"), "Next Stripe test card", action: .cycleCard),
        key("a", ch("a"), "Add an item: pick a product of the catalog (stock shown)", footer: "add", action: .addItem),
        key("+", [.character("+"), .character("=")], "More of the selected cart line", footer: "qty", action: .increment),
        key("-", ch("-"), "Less of the selected cart line (removes it at zero)", action: .decrement),
        key("f", ch("f"), "Fill the checkout form with sample data", action: .fillForm),
        key("g", ch("g"), "Toggle the double-submit guard", action: .toggleGuard),
        key("v", ch("v"), "Next client policy: \(ClientPolicy.all.map(\.name).joined(separator: " / "))", action: .toggleClient),
        key("o", ch("o"), "Start a new order: forget a paid order and validate without a key", action: .startNewOrder),
        key("e", ch("e"), "Tamper: write a made-up key into localStorage", action: .tamperKey),
        key("x", ch("x"), "Clear localStorage (the page keeps its cart until a refresh)", action: .clearStorage),
        key("b", ch("b"), "Backend rules menu", footer: "backend", action: .backendMenu),
        key("s", ch("s"), "Scenarios: the catalog, then explore's findings", footer: "scenarios", action: .scenarios),
        key("R", ch("R"), "Start / stop recording a scenario", action: .record),
        key("l", ch("l"), "Message log: every toast, notice and status line, in full", action: .messages),
        key("Tab", [.tab], "Next panel", action: .focusNext),
        key("S-Tab", [.backTab], "Previous panel", action: .focusPrevious),
        key("↑/k", [.up, .character("k")], "Select up (cart line, timeline entry)", action: .moveUp),
        key("↓/j", [.down, .character("j")], "Select down", action: .moveDown),
        key("Enter", [.enter], "Show the selected request and reply in full", action: .details),
        key("C", ch("C"), "Copy the selected request as a curl command", action: .copyCurl),
        key("Esc", [.escape], "Close the overlay", action: .closeOverlay),
        key("?", ch("?"), "All keys", footer: "help", action: .help),
        key("q", ch("q"), "Quit (state stays: starting again is a page refresh)", footer: "quit", action: .quit),

        key("1-9", (1...9).map { .character(Character("\($0)")) }, "Fire the next rule this many times", .backendMenu),
        key("A", ch("A"), "Fire the next rule always", .backendMenu),
    ] + RuleKind.table.map { row in
        key(String(row.menuKey), ch(row.menuKey), row.menuLabel, .backendMenu, rule: row.menuRule)
    } + [
        key("E", ch("E"), "Rule editor: any rule, any firing", .backendMenu, action: .ruleEditor),
        key("↑/↓", [.up, .down], "Select an armed rule", .backendMenu, action: .selectArmed),
        key("X/Del", [.character("X"), .delete, .backspace], "Remove the selected armed rule", .backendMenu, action: .removeArmed),
        key("0", ch("0"), "Disarm every rule", .backendMenu, action: .disarmAll),
        key("Esc", [.escape, .character("b")], "Close the menu", .backendMenu, action: .closeOverlay),

        key("↓/Tab", [.down, .tab], "Next field", .ruleEditor, action: .nextField),
        key("↑/S-Tab", [.up, .backTab], "Previous field", .ruleEditor, action: .previousField),
        key("←/→", [.left, .right], "Choose: the rule, how often it fires, the Connect code", .ruleEditor, action: .choose),
        key("text", [], "Typed into the selected field: message, duration, probability, times (200 characters at most)",
            .ruleEditor),
        key("⌫", [.backspace, .delete], "Erase the last character of the selected field", .ruleEditor, action: .eraseCharacter),
        key("C-u", ch("\u{15}"), "Clear the selected field", .ruleEditor, action: .clearField),
        key("Enter", [.enter], "Arm the rule (or show what is wrong with it)", .ruleEditor, action: .armRule),
        key("Esc", [.escape], "Back to the backend menu, nothing armed", .ruleEditor, action: .closeOverlay),

        key("y/n", [.character("y"), .character("n")], "Answer: redirect_status=succeeded / failed", .threeDSecure),
        key("Esc", [.escape], "Leave the page unanswered (r reloads)", .threeDSecure),

        key("↑/k", [.up, .character("k")], "Select the product above", .productPicker, action: .moveUp),
        key("↓/j", [.down, .character("j")], "Select the product below", .productPicker, action: .moveDown),
        key("Enter", [.enter, .character("a")], "Add one of the selected product to the cart", .productPicker, action: .details),
        key("Esc/q", [.escape, .character("q")], "Close without adding", .productPicker, action: .closeOverlay),

        key("Space/n", [.character(" "), .character("n")], "Play the next step", .presenter, action: .presenterNext),
        key("Backspace", [.backspace], "Back one step (replays from the start)", .presenter, action: .presenterBack),
        key("A", ch("A"), "Autoplay on / off", .presenter, action: .presenterAutoplay),
        key("[", ch("["), "Autoplay slower (+0.5 s per step)", .presenter, action: .presenterSlower),
        key("]", ch("]"), "Autoplay faster (-0.5 s per step)", .presenter, action: .presenterFaster),
        key("PgUp", [.pageUp], "Scroll a narration longer than its rows up", .presenter, action: .pageUp),
        key("PgDn", [.pageDown], "Scroll a narration longer than its rows down", .presenter, action: .pageDown),

        key("↑/k", [.up, .character("k")], "Scroll up a line", .reading, action: .scrollUp),
        key("↓/j", [.down, .character("j")], "Scroll down a line", .reading, action: .scrollDown),
        key("PgUp", [.pageUp], "Scroll up a page", .reading, action: .pageUp),
        key("PgDn", [.pageDown, .character(" ")], "Scroll down a page (Space too)", .reading, action: .pageDown),
        key("C", ch("C"), "Copy the request as curl (its details)", .reading, action: .copyCurl),
        key("Esc/q", [.escape, .character("q"), .character("?"), .enter], "Close", .reading, action: .closeOverlay),
    ]

    /// The binding of `key` in `context`.
    public static func binding(for key: KeyPress, in context: KeyContext) -> KeyBinding? {
        bindings.first { $0.context == context && $0.keys.contains(key) }
    }

    /// The footer's entries.
    public static var footer: [KeyBinding] { bindings.filter { $0.context == .main && $0.footer != nil } }

    /// docs/keys.md, generated from this table.
    public static func markdown() -> String {
        var text = "# Keys\n\nGenerated from the keymap table by `checkout-sim keys --markdown`; do not edit.\n"
        for context in KeyContext.allCases {
            text += "\n## \(context.rawValue)\n\n| key | action |\n| --- | --- |\n"
            for binding in bindings where binding.context == context {
                text += "| `\(binding.label)` | \(binding.description.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
        }
        return text
    }
}
