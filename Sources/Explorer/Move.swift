import CheckoutCore
import MockBackend
import Scenarios
import Simulation

/// One letter of the explorer's alphabet: an `Action` of the scenario format, with the
/// name `--actions` / `--rules` use and a sentence that narrates it for product staff.
public struct Move: Equatable, Sendable {
    /// `checkout`, `double_click`, `pay_3ds`, `rotate`.
    public var name: String
    public var action: Action
    /// What happens, in words: "The shopper clicks checkout."
    public var narration: String

    public init(name: String, action: Action, narration: String) {
        self.name = name
        self.action = action
        self.narration = narration
    }

    /// A `do:` step plays until no reply is in flight, as `checkout-sim run` does.
    public var waitsForReply: Bool { ScenarioEncoder.stepWaits(action) }
}

/// The moves the explorer combines: the shopper's actions and each backend rule armed once.
public enum Alphabet {
    /// The key the explorer writes when it tampers with localStorage.
    public static let tamperedKey = "stale-key-from-yesterday"

    /// The shopper's and the browser's actions, simplest first (the search tries them in this order).
    public static let shopperMoves: [Move] = [
        Move(name: "checkout", action: .checkout(clicks: 1), narration: "The shopper clicks checkout."),
        Move(name: "double_click", action: .checkout(clicks: 2),
             narration: "The shopper double-clicks checkout (two clicks before any reply)."),
        Move(name: "refresh", action: .refresh, narration: "The shopper reloads the page: it validates again with the stored key."),
        Move(name: "retry", action: .retry, narration: "The shopper presses \"try again\"."),
        Move(name: "pay", action: .pay(card: TestCard.succeeds.rawValue), narration: "The shopper pays with the card that succeeds (4242 4242 4242 4242)."),
        Move(name: "pay_declined", action: .pay(card: TestCard.declined.rawValue), narration: "The shopper pays with a card that is declined."),
        Move(name: "pay_insufficient_funds", action: .pay(card: TestCard.insufficientFunds.rawValue),
             narration: "The shopper pays with a card that has insufficient funds."),
        Move(name: "pay_3ds", action: .pay(card: TestCard.threeDSecure.rawValue),
             narration: "The shopper pays with a card that needs 3-D Secure: off to the bank's page."),
        Move(name: "return_succeeded", action: .returnFromRedirect(.succeeded),
             narration: "The shopper comes back from the bank with redirect_status=succeeded."),
        Move(name: "return_failed", action: .returnFromRedirect(.failed),
             narration: "The shopper comes back from the bank with redirect_status=failed."),
        Move(name: "add_item", action: .addItem(sku: "MUG", qty: 1), narration: "The shopper adds a mug to the cart."),
        Move(name: "cash_on_delivery", action: .paymentMethod(.cashOnDelivery), narration: "The shopper switches to cash on delivery."),
        Move(name: "card", action: .paymentMethod(.card), narration: "The shopper switches back to paying by card."),
        Move(name: "tamper", action: .setStoredKey(tamperedKey),
             narration: "Someone edits localStorage: the stored key becomes one the server never issued."),
        Move(name: "clear_storage", action: .clearStorage, narration: "The browser's localStorage is cleared (the page keeps its cart until a reload)."),
        Move(name: "wait_25h", action: .wait(millis: 25 * 3_600_000), narration: "The shopper leaves the tab open for 25 hours."),
    ]

    /// The shopper's answer to a page that holds its order as paid: only a policy that waits
    /// for it (`confirm-new-order`) has it by default; elsewhere it does nothing.
    public static let newOrderMove = Move(
        name: "start_new_order", action: .startNewOrder,
        narration: "The shopper asks for a new order: the page forgets the paid order and its key, and validates without a key.")

    /// Each backend rule armed once, in the rule table's order.
    public static let ruleMoves: [Move] = RuleKind.table.map { row in
        Move(name: row.name, action: .arm(RuleSpec(row.menuRule)), narration: ruleNarration[row.name] ?? "The backend arms \(row.name): \(row.effect).")
    }

    /// Every move, shopper's first (the seed's client: no new-order move).
    public static var all: [Move] { shopperMoves + ruleMoves }

    /// The shopper's moves under `policy`: `start_new_order` too where the policy waits for it.
    public static func shopperMoves(for policy: ClientPolicy) -> [Move] {
        shopperMoves + (policy.alreadyCompleted.waitsForNewOrder ? [newOrderMove] : [])
    }

    /// Every move under `policy`, shopper's first.
    public static func all(for policy: ClientPolicy) -> [Move] { shopperMoves(for: policy) + ruleMoves }

    private static let ruleNarration: [String: String] = [
        "rotate": "The backend will rotate the session on the next validation: a new key, the old PaymentIntent canceled.",
        "payment_already_completed": "The backend will answer the next validation with \"Payment already completed\".",
        "payment_unavailable": "Stripe will be unavailable for the next validation.",
        "failed_to_create_payment_intent": "The backend will fail to create a PaymentIntent on the next validation.",
        "error": "The backend will answer the next validation with an error the client's table does not name.",
        "latency": "The backend will be slow (2 s) on the next validation.",
        "drop_response": "The next validation will be processed, but its reply will be lost on the way back.",
        "timeout": "The next validation will never reach the server.",
        "garble_response": "The next validation will be processed, but its reply will arrive corrupted.",
        "expire_sessions": "Every open payment session expires now.",
        "mark_paid": "In another browser tab, the shopper pays the session of the stored key.",
        "key_in_use": "Stripe will refuse a key that another request is still using (idempotency_key_in_use).",
    ]

    /// The moves named in `actions` and `rules` (`nil`: all of them under `client`; `none`: none), in the alphabet's order.
    public static func select(actions: [String]?, rules: [String]?, client: ClientPolicy = .standard) throws -> [Move] {
        try pick(shopperMoves + [newOrderMove], actions, what: "action", default: shopperMoves(for: client))
            + pick(ruleMoves, rules, what: "rule", default: ruleMoves)
    }

    private static func pick(_ moves: [Move], _ names: [String]?, what: String, default defaults: [Move]) throws -> [Move] {
        guard let names else { return defaults }
        if names == ["none"] { return [] }
        for name in names where !moves.contains(where: { $0.name == name }) {
            throw ExploreError("unknown \(what) '\(UntrustedText.escaped(name))'; one of: \(moves.map(\.name).joined(separator: ", "))")
        }
        return moves.filter { names.contains($0.name) }
    }
}

/// A usage mistake (an unknown name), said in words.
public struct ExploreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
