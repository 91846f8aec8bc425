import CheckoutCore
import MockBackend
import Simulation

/// Writes actions in the scenario format, the inverse of `ScenarioDecoder`:
/// what the recorder writes and `ScenarioDecoder` reads back to the same `Action`.
public enum ScenarioEncoder {
    /// A step line's value: `checkout`, `{ add_item: { sku: "MUG", qty: 2 } }`,
    /// `{ remove_item: "MUG", wait: false }`, `{ rotate: { times: 2 } }`.
    public static func yaml(_ action: Action, waitsForReply: Bool = true) -> String {
        if case .arm(let spec) = action { return spec.yaml }
        let noWait = waitsForReply || !stepWaits(action) ? nil : ("wait", FormValue.bool(false))
        let (name, argument) = form(action)
        switch argument {
        case .none: return FormValue.yaml(name, noWait.map { [$0] })
        case .value(let value): return "{ \(name): \(value.yaml)" + (noWait.map { ", \($0.0): \($0.1.yaml)" } ?? "") + " }"
        case .fields(let fields): return FormValue.yaml(name, fields + (noWait.map { [$0] } ?? []))
        }
    }

    /// `- do: …` or `- backend: …`, indented as a step.
    public static func step(_ action: Action, waitsForReply: Bool = true) -> String {
        "  - \(action.isBackend ? "backend" : "do"): \(yaml(action, waitsForReply: waitsForReply))"
    }

    /// Whether a `do:` step of this action waits for replies unless told not to.
    public static func stepWaits(_ action: Action) -> Bool {
        if action.isBackend { return false }
        if case .wait = action { return false }
        return true
    }

    enum Argument {
        case none
        case value(FormValue)
        case fields([(String, FormValue)])
    }

    static func form(_ action: Action) -> (String, Argument) {
        switch action {
        case .checkout(let clicks): ("checkout", clicks == 1 ? .none : .fields([("clicks", .int(clicks))]))
        case .refresh: ("refresh", .none)
        case .retry: ("retry", .none)
        case .pay(let card): ("pay", .fields([("card", .text(card))]))
        case .returnFromRedirect(let status): ("return_from_redirect", .value(.word(status.rawValue)))
        case .addItem(let sku, let qty): ("add_item", .fields([("sku", .text(sku)), ("qty", .int(qty))]))
        case .removeItem(let sku): ("remove_item", .value(.text(sku)))
        case .setQty(let sku, let qty): ("set_qty", .fields([("sku", .text(sku)), ("qty", .int(qty))]))
        case .paymentMethod(let method): ("payment_method", .value(.word(method.rawValue)))
        case .fillForm(let form): ("fill_form", .fields([("email", .text(form.email)), ("name", .text(form.name))]))
        case .setStoredKey(let key): ("set_stored_key", .value(.text(key)))
        case .clearStorage: ("clear_storage", .none)
        case .wait(let millis): ("wait", .value(.word(Duration.milliseconds(millis).compactDescription)))
        case .setGuard(let on): ("set_guard", .value(.word(on ? "on" : "off")))
        case .setClient(let policy): ("set_client", .value(.word(policy.name)))
        case .startNewOrder: ("start_new_order", .none)
        case .selectCard(let card): ("select_card", .value(.text(card)))
        case .arm(let spec): (spec.form.name, spec.form.fields.map { .fields($0) } ?? .none)
        case .disarm(let position): ("disarm", .value(.int(position)))
        case .disarmAll: ("disarm_all", .none)
        }
    }
}
