import Foundation

/// A named variant of the client's rules (PRODUCT.md §9): a value the simulated client,
/// the lint, the explorer and the web shop all read, never a fork of the client. Adding
/// a policy is one value in `all` plus its tests.
public struct ClientPolicy: Hashable, Sendable, RawRepresentable, CaseIterable, Codable, CustomStringConvertible {
    /// What the page does about "Payment already completed for this session…".
    public struct AlreadyCompletedRule: Hashable, Sendable {
        /// Validations it sends again without a key (the seed: one).
        public var retries: Int
        /// What it clears when it acts on the error (before its retry, or when it stops).
        public var clears: PageData
        /// With no retry left: `true` tells the shopper the order is already paid; `false`
        /// shows the seed's error toast.
        public var tellsOrderPaid: Bool
        /// The page holds the order as paid: checkout sends nothing until the shopper
        /// asks for a new order (`start_new_order`).
        public var waitsForNewOrder: Bool

        public init(retries: Int, clears: PageData, tellsOrderPaid: Bool, waitsForNewOrder: Bool) {
            self.retries = retries
            self.clears = clears
            self.tellsOrderPaid = tellsOrderPaid
            self.waitsForNewOrder = waitsForNewOrder
        }
    }

    /// What the page keeps in localStorage that a rule may clear.
    public struct PageData: OptionSet, Hashable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let key = PageData(rawValue: 1)
        public static let cart = PageData(rawValue: 2)

        /// The names the web shop's table uses.
        public var names: [String] { [(PageData.key, "key"), (.cart, "cart")].filter { contains($0.0) }.map(\.1) }
    }

    /// `standard`, `confirm-new-order`: what `--client`, `setup.client` and `?client=` take.
    public let name: String
    /// One line for help, the header and the web shop's banner.
    public let summary: String
    /// Stores the key a response returns and sends it on the next validation.
    public let storesKey: Bool
    public let alreadyCompleted: AlreadyCompletedRule

    public init(name: String, summary: String, storesKey: Bool, alreadyCompleted: AlreadyCompletedRule) {
        self.name = name
        self.summary = summary
        self.storesKey = storesKey
        self.alreadyCompleted = alreadyCompleted
    }

    // MARK: - The policies

    /// The seed: clear the key and retry once without one; a second failure shows the toast.
    public static let standard = ClientPolicy(
        name: "standard", summary: "the seed: after \"Payment already completed\" it clears the key and retries once without one",
        storesKey: true, alreadyCompleted: AlreadyCompletedRule(retries: 1, clears: .key, tellsOrderPaid: false, waitsForNewOrder: false))

    /// The seed's "Compatibility" client: never stores or sends a key.
    public static let legacy = ClientPolicy(
        name: "legacy", summary: "never stores or sends a key (the seed's Compatibility section)",
        storesKey: false, alreadyCompleted: AlreadyCompletedRule(retries: 1, clears: .key, tellsOrderPaid: false, waitsForNewOrder: false))

    /// Stops at "Payment already completed" and waits for the shopper to start a new order.
    public static let confirmNewOrder = ClientPolicy(
        name: "confirm-new-order",
        summary: "after \"Payment already completed\" it clears the key, does not retry, says the order is paid, and waits for the shopper to start a new order",
        storesKey: true, alreadyCompleted: AlreadyCompletedRule(retries: 0, clears: .key, tellsOrderPaid: true, waitsForNewOrder: true))

    /// Takes "Payment already completed" as the order being paid: key and cart go.
    public static let paidClearsCart = ClientPolicy(
        name: "paid-clears-cart",
        summary: "after \"Payment already completed\" it clears the key and the cart and says the order is paid",
        storesKey: true, alreadyCompleted: AlreadyCompletedRule(retries: 0, clears: [.key, .cart], tellsOrderPaid: true, waitsForNewOrder: false))

    /// Every policy, in the order the TUI cycles through them.
    public static let all: [ClientPolicy] = [.standard, .legacy, .confirmNewOrder, .paidClearsCart]

    // MARK: - Rules every policy shares

    /// How long the client waits for a reply before it calls the request lost, unless told otherwise.
    public static let defaultTimeoutMillis: Int64 = 10_000

    /// The methods whose validation creates a PaymentIntent and returns a key to store.
    public static var paymentIntentMethods: [PaymentMethod] { PaymentMethod.allCases.filter(\.usesPaymentIntent) }

    // MARK: - Names

    public static var allCases: [ClientPolicy] { all }
    public var rawValue: String { name }
    public var description: String { name }

    /// The policy called `rawValue`, `nil` for an unknown name.
    public init?(rawValue: String) {
        guard let found = Self.all.first(where: { $0.name == rawValue }) else { return nil }
        self = found
    }

    /// The policy after this one, for a key that cycles through them.
    public var next: ClientPolicy {
        let index = Self.all.firstIndex(of: self) ?? -1
        return Self.all[(index + 1) % Self.all.count]
    }

    /// The names, for messages: `standard, legacy, confirm-new-order, paid-clears-cart`.
    public static var names: String { all.map(\.name).joined(separator: ", ") }
}

/// The client's rules before policies had names (`--client standard|legacy`).
public typealias ClientVariant = ClientPolicy
