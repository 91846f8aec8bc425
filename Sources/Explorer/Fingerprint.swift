import CheckoutCore
import CheckoutProto
import Foundation
import MockBackend
import Simulation

/// 128 bits that identify a state for the seen-set: two states with the same fingerprint
/// behave the same under every sequence of moves (up to a collision, about 2⁻⁶⁴ per pair
/// for a billion states).
public struct Fingerprint: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64
}

extension Fingerprint {
    /// The canonical fingerprint of `simulation` with `history`: everything that decides
    /// what later moves do (localStorage, the page, sessions, PaymentIntents, armed rules,
    /// totals), with server keys, PaymentIntent ids and secrets renamed by order of first
    /// appearance (so two paths that drew different random keys meet in one state) and times
    /// taken relative to now. Display-only state (timeline, journal, toasts, messages) is left
    /// out: `Fingerprint.coverage` says which stored property goes where, and a test holds it
    /// to the types' properties. Value types are folded in whole (`Hashable`), after their
    /// names and times were made canonical on a copy, so a field added to one is fingerprinted
    /// without anyone listing it.
    public init(_ simulation: Simulation, history: CartHistory) {
        var writer = CanonicalWriter()
        let client = simulation.client
        let now = simulation.clock.nowMillis
        writer.name(simulation.storedKey)
        for (key, value) in client.storage.allValues().sorted(by: { $0.key < $1.key }) where key != IdempotencyKeyStore.storageKey {
            writer.text(key)
            writer.text(value)
        }
        writer.value(client.settings)
        writer.value(client.cart)
        writer.value(client.form)
        writer.value(client.paymentMethod)
        let store = simulation.backend.store
        let intents = Array(((try? store.recentIntents(limit: .max)) ?? []).reversed())
        if var validation = client.lastValidation {
            writer.word(1)
            // What `pay` needs of the secret: whether it is still its PaymentIntent's.
            let current = intents.contains { $0.id == validation.paymentIntentID && $0.clientSecret == validation.clientSecret }
            validation.idempotencyKey = writer.canonical(validation.idempotencyKey)
            validation.paymentIntentID = writer.canonical(validation.paymentIntentID)
            validation.clientSecret = current ? "current" : "stale"
            writer.value(validation)
        } else {
            writer.word(0)
        }
        writer.name(client.pendingRedirect)
        writer.word(UInt64(client.inFlight.count))
        for exchange in client.inFlight.values.sorted(by: { $0.id < $1.id }) {
            writer.value(writer.canonical(exchange, client: client))
        }
        writer.value(simulation.payment)
        writer.text(simulation.selectedCard)
        writer.int(simulation.clientTimeoutMillis)
        writer.word(UInt64(simulation.inFlightCount))
        for request in simulation.inFlight {
            writer.int(now - request.sentAtMillis)
            writer.name(request.keySent)
            writer.text(request.trigger.rawValue)
            writer.flag(request.abandoned)
        }
        let sessions = ((try? store.recentSessions(limit: .max)) ?? []).reversed()
        writer.word(UInt64(sessions.count))
        for var session in sessions {
            session.key = writer.canonical(session.key)
            session.paymentIntentID = writer.canonical(session.paymentIntentID)
            // Only whether the session outlived its 24 h can matter, and how close it is.
            session.lastValidatedAtMillis = min(now - session.lastValidatedAtMillis, MockBackend.sessionLifetimeMillis + 1)
            session.createdAtMillis = 0
            writer.value(session)
        }
        writer.word(UInt64(intents.count))
        for var intent in intents {
            intent.id = writer.canonical(intent.id)
            intent.sessionKey = writer.canonical(intent.sessionKey)
            intent.clientSecret = writer.canonical(intent.clientSecret)
            intent.updatedAtMillis = 0
            writer.value(intent)
        }
        for var rule in simulation.backend.rules.rules {
            rule.id = 0
            writer.value(rule)
        }
        // A key is in use only until its reply leaves; a past entry no longer matters.
        for (key, until) in simulation.backend.keysInProgress.sorted(by: { $0.key < $1.key }) where until > now {
            writer.name(key)
            writer.int(until - now)
        }
        writer.value((try? store.counters()) ?? BackendCounters())
        writer.value(history)
        self = writer.fingerprint
    }

    /// Where each stored property of the world's classes goes: `folded` into the fingerprint
    /// (as a value, or through what it stores), or `left` out as display, bookkeeping or a
    /// constant of the run. A test holds this to the properties the types really have.
    public static let coverage: [String: (folded: Set<String>, left: Set<String>)] = [
        "CheckoutClient": (
            folded: ["storage", "settings", "cart", "form", "paymentMethod", "lastValidation", "pendingRedirect", "inFlight"],
            // keys and shopper are views of storage; notices are shown at once; ids and page
            // loads only tell requests apart (an in-flight request's are folded relative).
            left: ["keys", "shopper", "notices", "nextExchangeID", "pageGeneration"]),
        "Simulation": (
            folded: ["client", "backend", "clock", "payment", "selectedCard", "clientTimeoutMillis", "pending"],
            left: ["stateDirectory", "toast", "messages", "messageCapacity", "timeline", "requestCount", "keyHistory",
                   "timelineCapacity", "actionObserver", "eventObserver", "frozenNow", "nextPendingOrder", "lastSeenKey",
                   "suppressLogging"]),
        "MockBackend": (
            folded: ["store", "rules", "inProgress"],
            // Keys are renamed, so the random stream's position does not matter; the explorer arms
            // no probability rule. The rotated-key count is a per-step fact, not a state.
            left: ["catalog", "rulesBatched", "randomness", "rotatedKeysReceived"]),
    ]
}

extension CanonicalWriter {
    /// An in-flight request with its names canonical and its id and page load relative to the page's.
    mutating func canonical(_ exchange: ValidationExchange, client: CheckoutClient) -> ValidationExchange {
        var copy = exchange
        copy.id = exchange.id - client.nextExchangeID
        copy.pageGeneration = exchange.pageGeneration - client.pageGeneration
        copy.keySent = exchange.keySent.map { canonical($0) }
        copy.request.idempotencyKey = canonical(exchange.request.idempotencyKey)
        copy.bytes = Data()
        return copy
    }
}

/// Folds words into two independent 64-bit lanes; strings that name keys or PaymentIntents
/// are replaced by their order of first appearance.
struct CanonicalWriter {
    private var high: UInt64 = 0x6A09_E667_F3BC_C908
    private var low: UInt64 = 0xBB67_AE85_84CA_A73B
    private var names: [String: UInt64] = [:]

    var fingerprint: Fingerprint { Fingerprint(high: Self.mix(high), low: Self.mix(low ^ 0x3C6E_F372_FE94_F82B)) }

    mutating func word(_ value: UInt64) {
        high = Self.mix(high ^ value)
        low = Self.mix(low &+ value &* 0x9E37_79B9_7F4A_7C15) ^ high
    }

    mutating func int(_ value: Int64) { word(UInt64(bitPattern: value)) }

    mutating func flag(_ value: Bool) { word(value ? 1 : 2) }

    /// A literal string: its bytes and length.
    mutating func text(_ value: String) {
        var chunk: UInt64 = 0
        var count = 0
        for byte in value.utf8 {
            chunk = chunk << 8 | UInt64(byte)
            count += 1
            if count % 8 == 0 {
                word(chunk)
                chunk = 0
            }
        }
        word(chunk)
        word(UInt64(count) | 0x5000_0000_0000_0000)
    }

    /// A value of a type that is `Hashable`, every stored field of it: two 64-bit hashes
    /// (seeded apart) into the two lanes. Swift's hash seed changes from process to process;
    /// fingerprints are only compared within one.
    mutating func value<T: Hashable>(_ value: T) {
        var first = Hasher()
        first.combine(0x5EED_0001 as UInt64)
        first.combine(value)
        var second = Hasher()
        second.combine(0x5EED_0002 as UInt64)
        second.combine(value)
        word(UInt64(UInt(bitPattern: first.finalize())))
        word(UInt64(UInt(bitPattern: second.finalize())))
    }

    /// A key or an id as its order of first appearance, in words (`""` stays empty).
    mutating func canonical(_ value: String) -> String {
        guard !value.isEmpty else { return "" }
        name(value)
        return "#\(names[value] ?? 0)"
    }

    /// A key or an id: its order of first appearance (`nil` and empty are none).
    mutating func name(_ value: String?) {
        guard let value, !value.isEmpty else { return word(0xA000_0000_0000_0000) }
        if let known = names[value] { return word(known) }
        let number = UInt64(names.count + 1) | 0xB000_0000_0000_0000
        names[value] = number
        word(number)
    }

    /// SplitMix64's finaliser: every input bit moves every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
