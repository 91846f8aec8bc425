/// The seed's key lifecycle as rules a client can break, judged from the wire.
/// The raw values are the names reports and `GET /__admin/lint` use.
public enum LintRule: String, Codable, CaseIterable, Sendable {
    /// 1. After a response gave key K (CARD / CARD_TEST), the next validation sends K.
    case sendStoredKey = "send-stored-key"
    /// 2. After a rotation (K2 returned while K1 was sent), the next validation sends K2.
    case followRotation = "follow-rotation"
    /// 3. After "Payment already completed": exactly one immediate retry without a key.
    case retryOnceAfterCompleted = "retry-once-after-completed"
    /// 4. After a successful payment, the next checkout sends no key.
    case noKeyAfterPayment = "no-key-after-payment"
    /// 5. A client that never sends keys (no idempotency at all).
    case legacyClient = "legacy-client"
    /// 6a. A key longer than 255 characters.
    case keyTooLong = "key-too-long"
    /// 6b. A key this server never issued.
    case unknownKey = "unknown-key"
    /// 6c. A key this server issued to another client (two browsers now share one session).
    case keyOfAnotherClient = "key-of-another-client"
    /// 7. Two validations in flight at once from one client.
    case doubleSubmit = "double-submit"

    /// A warning is shown and counted but does not fail `lint` (unless `--strict`): the seed says
    /// a client that never sends a key keeps working, it only gets no idempotency.
    public var isWarning: Bool { self == .legacyClient }

    /// The rule's number in `docs/lint.md` (6 covers both key checks).
    public var number: Int {
        switch self {
        case .sendStoredKey: 1
        case .followRotation: 2
        case .retryOnceAfterCompleted: 3
        case .noKeyAfterPayment: 4
        case .legacyClient: 5
        case .keyTooLong, .unknownKey, .keyOfAnotherClient: 6
        case .doubleSubmit: 7
        }
    }

    /// One line: what a client following the seed does.
    public var summary: String {
        switch self {
        case .sendStoredKey: "after a response gives key K (CARD / CARD_TEST), the next validation sends K"
        case .followRotation: "after a rotation (K2 returned while K1 was sent), the next validation sends K2"
        case .retryOnceAfterCompleted: "after \"Payment already completed\": clear the key, retry once at once without it, no loop"
        case .noKeyAfterPayment: "after a successful payment (direct, or 3-D Secure succeeded), the next checkout sends no key"
        case .legacyClient: "a client that never sends keys gets no idempotency: each validation opens a new PaymentIntent"
        case .keyTooLong: "keys are at most 255 characters"
        case .unknownKey: "a client sends only keys this server issued"
        case .keyOfAnotherClient: "a client sends only keys issued to it: a first validation sends none"
        case .doubleSubmit: "one validation in flight at a time per client (no double submit)"
        }
    }
}
