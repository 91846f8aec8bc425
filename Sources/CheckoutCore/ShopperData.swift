import CheckoutProto
import Foundation

/// How the shopper pays, as the checkout page offers it.
public enum PaymentMethod: String, Sendable, CaseIterable, Codable {
    case card = "CARD"
    case cardTest = "CARD_TEST"
    case cashOnDelivery = "CASH_ON_DELIVERY"
    case bankTransfer = "BANK_TRANSFER"

    /// CARD and CARD_TEST go through Stripe: they get a PaymentIntent and a key.
    public var usesPaymentIntent: Bool { self == .card || self == .cardTest }

    /// The wire value.
    public var proto: Checkout_V1_PaymentMethod {
        switch self {
        case .card: .card
        case .cardTest: .cardTest
        case .cashOnDelivery: .cashOnDelivery
        case .bankTransfer: .bankTransfer
        }
    }

    /// The method after this one, for a key that cycles through them.
    public var next: PaymentMethod {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// One line of the cart.
public struct CartLine: Hashable, Sendable, Codable {
    /// The largest quantity of one line, either way: zero and negative quantities are
    /// allowed so that the backend's validation can be exercised, but nothing past this.
    public static let maxQuantity = 9_999
    /// The quantities a cart line may hold.
    public static let quantityRange = -maxQuantity...maxQuantity

    public var sku: String
    public var qty: Int

    public init(sku: String, qty: Int) {
        self.sku = sku
        self.qty = qty
    }

    /// The line's price for a unit price, or `nil` when it does not fit (never a trap).
    public func total(unitPriceCents: Int64) -> Int64? {
        let (product, overflow) = unitPriceCents.multipliedReportingOverflow(by: Int64(qty))
        return overflow ? nil : product
    }
}

/// The checkout form the shopper fills in.
public struct FormData: Hashable, Sendable, Codable {
    public var email: String
    public var name: String

    public init(email: String = "", name: String = "") {
        self.email = email
        self.name = name
    }

    /// Whether anything was entered.
    public var isEmpty: Bool { email.isEmpty && name.isEmpty }
}

/// Where the page keeps cart, form and payment method: `localStorage`, next to
/// the idempotency key, as the web shop does (`clearCart()`, `clearFormData()`).
public struct ShopperStore {
    /// `localStorage` keys of the shopper's data.
    public enum Key {
        public static let cart = "checkout-cart"
        public static let form = "checkout-form"
        public static let paymentMethod = "checkout-payment-method"
        /// Set by a policy that waits for a new order after "Payment already completed".
        public static let orderPaid = "checkout-order-paid"
    }

    private let storage: KeyValueStorage

    public init(storage: KeyValueStorage) {
        self.storage = storage
    }

    /// The stored cart; unreadable content, or a quantity out of range, counts as
    /// empty and is reported.
    public func loadCart(notices: inout [String]) -> [CartLine] {
        let cart = decode([CartLine].self, key: Key.cart, notices: &notices) ?? []
        if let line = cart.first(where: { !CartLine.quantityRange.contains($0.qty) }) {
            notices.append("localStorage \"\(Key.cart)\" has a quantity out of range (\(line.qty); at most \(CartLine.maxQuantity) either way); ignored the cart")
            return []
        }
        return cart
    }

    /// The stored form; unreadable content counts as empty and is reported.
    public func loadForm(notices: inout [String]) -> FormData {
        decode(FormData.self, key: Key.form, notices: &notices) ?? FormData()
    }

    /// The stored payment method, CARD when none or unknown.
    public func loadPaymentMethod() -> PaymentMethod {
        storage.value(forKey: Key.paymentMethod).flatMap(PaymentMethod.init(rawValue:)) ?? .card
    }

    public func saveCart(_ cart: [CartLine]) throws { try save(cart, key: Key.cart) }
    public func saveForm(_ form: FormData) throws { try save(form, key: Key.form) }
    public func savePaymentMethod(_ method: PaymentMethod) throws {
        try storage.setValue(method.rawValue, forKey: Key.paymentMethod)
    }

    /// `clearCart()`.
    public func clearCart() throws { try storage.removeValue(forKey: Key.cart) }
    /// `clearFormData()`.
    public func clearFormData() throws { try storage.removeValue(forKey: Key.form) }

    private func decode<T: Decodable>(_ type: T.Type, key: String, notices: inout [String]) -> T? {
        guard let text = storage.value(forKey: key) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            notices.append("localStorage \"\(key)\" was unreadable; ignored it")
            return nil
        }
    }

    private func save<T: Encodable>(_ value: T, key: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try storage.setValue(String(decoding: try encoder.encode(value), as: UTF8.self), forKey: key)
    }
}

extension Int64 {
    /// `self + other`, or `nil` when the sum does not fit: money never traps.
    public func checkedAdding(_ other: Int64) -> Int64? {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? nil : sum
    }
}
