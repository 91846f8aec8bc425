/// What one validation request came to, in the categories scenario files use.
public enum ResultCategory: String, Sendable, CaseIterable, Codable {
    case ok
    case paymentAlreadyCompleted = "payment_already_completed"
    case paymentUnavailable = "payment_unavailable"
    case failedToCreatePaymentIntent = "failed_to_create_payment_intent"
    case validation
    case network
}

/// The seed's error table (§3): the client tells errors apart by their message
/// text, case-insensitively.
public enum ErrorTable {
    /// The exact message of the "already completed" error.
    public static let paymentAlreadyCompletedMessage =
        "Payment already completed for this session. Please clear your checkout and start a new order."

    /// Classifies a backend error message.
    public static func category(forMessage message: String) -> ResultCategory {
        let lowered = message.lowercased()
        if lowered.contains("payment already completed") { return .paymentAlreadyCompleted }
        if lowered.contains("payment unavailable") { return .paymentUnavailable }
        if lowered.contains("failed to create payment intent") { return .failedToCreatePaymentIntent }
        return .validation
    }

    /// The toast the seed's table prescribes for a failed validation that is
    /// not retried (for "already completed": the retry failed too).
    public static func toast(for category: ResultCategory, message: String) -> Toast? {
        switch category {
        case .ok:
            return nil
        case .paymentAlreadyCompleted:
            return Toast(kind: .error, category: .paymentAlreadyCompleted, message: message)
        case .paymentUnavailable, .failedToCreatePaymentIntent:
            return Toast(kind: .error, category: .paymentUnavailable,
                         message: "Payment is unavailable right now. Please try again later. (\(message))")
        case .validation, .network:
            return Toast(kind: .error, category: .generic, message: "Something went wrong. (\(message))")
        }
    }
}

/// A toast the page shows.
public struct Toast: Equatable, Sendable, Codable {
    /// The colour / severity of a toast.
    public enum Kind: String, Sendable, Codable, CaseIterable { case error, success, info }

    /// What the toast is about, as scenario files name it.
    public enum Category: String, Sendable, Codable, CaseIterable {
        case paymentAlreadyCompleted = "payment_already_completed"
        case paymentUnavailable = "payment_unavailable"
        case generic
        case cardDeclined = "card_declined"
        case paymentSucceeded = "payment_succeeded"
        case requiresAction = "requires_action"
        case authenticationFailed = "authentication_failed"
        case emptyCart = "empty_cart"
        case notValidated = "not_validated"
        case storageRecovered = "storage_recovered"
        case orderPlaced = "order_placed"
        /// A policy took "Payment already completed" as the order being paid.
        case orderAlreadyPaid = "order_already_paid"
    }

    public var kind: Kind
    public var category: Category
    public var message: String

    public init(kind: Kind, category: Category, message: String) {
        self.kind = kind
        self.category = category
        self.message = message
    }
}
