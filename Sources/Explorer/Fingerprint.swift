import CheckoutCore
import CheckoutProto
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
    /// totals), with server keys and PaymentIntent ids renamed by order of first appearance
    /// (so two paths that drew different random keys meet in one state) and times taken
    /// relative to now. Display-only state (timeline, journal, toasts, messages) is left out.
    public init(_ simulation: Simulation, history: CartHistory) {
        var writer = CanonicalWriter()
        let client = simulation.client
        let storedKey = simulation.storedKey
        writer.name(storedKey)
        for (key, value) in client.storage.allValues().sorted(by: { $0.key < $1.key }) where key != IdempotencyKeyStore.storageKey {
            writer.text(key)
            writer.text(value)
        }
        writer.text(client.settings.variant.rawValue)
        writer.flag(client.settings.doubleSubmitGuard)
        writer.word(UInt64(client.cart.count))
        for line in client.cart {
            writer.text(line.sku)
            writer.int(Int64(line.qty))
        }
        writer.text(client.form.email)
        writer.text(client.form.name)
        writer.text(client.paymentMethod.rawValue)
        writer.word(UInt64(client.inFlight.count))
        let store = simulation.backend.store
        let intents = Array(((try? store.recentIntents(limit: .max)) ?? []).reversed())
        if let validation = client.lastValidation {
            writer.word(1)
            writer.name(validation.idempotencyKey)
            writer.name(validation.paymentIntentID)
            writer.int(Int64(validation.paymentMethod.rawValue))
            writer.int(validation.totalCents)
            // What `pay` needs: whether the secret it holds is its PaymentIntent's.
            writer.flag(intents.contains { $0.id == validation.paymentIntentID && $0.clientSecret == validation.clientSecret })
        } else {
            writer.word(0)
        }
        writer.name(client.pendingRedirect)
        writer.text(simulation.payment.rawValue)
        writer.text(simulation.selectedCard)
        writer.word(UInt64(simulation.inFlightCount))
        let now = simulation.clock.nowMillis
        let sessions = ((try? store.recentSessions(limit: .max)) ?? []).reversed()
        writer.word(UInt64(sessions.count))
        for session in sessions {
            writer.name(session.key)
            writer.name(session.paymentIntentID)
            writer.text(session.status.rawValue)
            // Only whether the session outlived its 24 h can matter, and how close it is.
            writer.int(min(now - session.lastValidatedAtMillis, MockBackend.sessionLifetimeMillis + 1))
        }
        writer.word(UInt64(intents.count))
        for intent in intents {
            writer.name(intent.id)
            writer.name(intent.sessionKey)
            writer.int(intent.amountCents)
            writer.text(intent.status.rawValue)
        }
        for rule in simulation.backend.rules.rules {
            writer.text(rule.kind.name)
            writer.text(rule.kind.label)
            writer.text(rule.firing.label)
            writer.int(Int64(rule.remaining ?? -1))
        }
        let counters = (try? store.counters()) ?? BackendCounters()
        writer.int(Int64(counters.sessions))
        writer.int(Int64(counters.paymentIntents))
        writer.int(Int64(counters.paid))
        writer.int(Int64(history.paidForCart))
        writer.flag(history.cartClosed)
        self = writer.fingerprint
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
