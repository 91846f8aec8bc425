import CheckoutCore
import Foundation
import MockBackend
import Scenarios
import Simulation
import Testing
@testable import Explorer

@Suite("Fingerprint: complete")
struct FingerprintTests {
    /// The stored properties of `value`'s type, by name.
    private func storedProperties(_ value: Any) -> Set<String> {
        Set(Mirror(reflecting: value).children.compactMap(\.label))
    }

    /// A state with a key, a session and a PaymentIntent.
    private func base() -> Simulation {
        let simulation = ExploreConfiguration().makeSimulation()
        simulation.apply(.checkout(clicks: 1))
        simulation.runUntilIdle()
        return simulation
    }

    @Test("every stored property of the world's classes is either folded in or left out on purpose")
    func coverage() throws {
        let simulation = base()
        let types: [(String, Any)] = [("CheckoutClient", simulation.client), ("Simulation", simulation), ("MockBackend", simulation.backend)]
        for (name, value) in types {
            let covered = try #require(Fingerprint.coverage[name])
            #expect(covered.folded.isDisjoint(with: covered.left), "\(name)")
            let properties = storedProperties(value)
            #expect(properties.subtracting(covered.folded.union(covered.left)) == [], "\(name): a stored property the fingerprint does not know")
            #expect(covered.folded.union(covered.left).subtracting(properties) == [], "\(name): coverage names a property it no longer has")
        }
    }

    /// One change to each part of the state that later moves depend on.
    static var mutations: [(String, (Simulation) -> Void)] { [
        ("localStorage value", { try? $0.client.storage.setValue("1", forKey: "checkout-other") }),
        ("stored key", { $0.apply(.setStoredKey("tampered")) }),
        ("policy", { $0.apply(.setClient(.confirmNewOrder)) }),
        ("other policy", { $0.apply(.setClient(.paidClearsCart)) }),
        ("guard", { $0.apply(.setGuard(false)) }),
        ("cart", { $0.apply(.addItem(sku: "MUG", qty: 1)) }),
        ("form", { $0.apply(.fillForm(FormData(email: "a@b.c", name: "A"))) }),
        ("payment method", { $0.apply(.paymentMethod(.cashOnDelivery)) }),
        ("last validation", { $0.client.restoreValidation(paymentMethod: .card, key: nil, paymentIntentID: nil, clientSecret: nil) }),
        ("pending redirect", { $0.client.restorePendingRedirect("pi_elsewhere") }),
        ("request in flight", { _ = $0.client.restoreExchange(.checkout, key: nil, paymentMethod: .card, abandoned: false) }),
        ("payment", { $0.apply(.pay(card: TestCard.declined.rawValue)) }),
        ("selected card", { $0.apply(.selectCard(TestCard.insufficientFunds.rawValue)) }),
        ("client timeout", { $0.clientTimeoutMillis = 2_000 }),
        ("session paid elsewhere", { $0.apply(.arm(.markPaid)) }),
        ("sessions expired", { $0.apply(.arm(.expireSessions)) }),
        ("armed rule", { $0.apply(.arm(.rotate)) }),
        ("other armed rule", { $0.apply(.arm(.dropResponse)) }),
        ("time", { $0.apply(.wait(millis: 25 * 3_600_000)) }),
    ] }

    @Test("two states that differ in any part fingerprint differently")
    func everyChangeShows() throws {
        let simulation = base()
        let original = Fingerprint(simulation, history: CartHistory())
        var seen: [Fingerprint: String] = [original: "base"]
        for (name, mutate) in Self.mutations {
            let copy = try #require(simulation.fork())
            mutate(copy)
            let changed = Fingerprint(copy, history: CartHistory())
            #expect(changed != original, "\(name) did not change the fingerprint")
            if let other = seen[changed], other != "base" { Issue.record("\(name) and \(other) fingerprint alike") }
            seen[changed] = name
        }
        var history = CartHistory()
        history.paidForCart = 1
        #expect(Fingerprint(simulation, history: history) != original, "history")
        history = CartHistory()
        history.cartClosed = true
        #expect(Fingerprint(simulation, history: history) != original, "closed cart")
    }

    @Test("a fork fingerprints like its original")
    func forkAlike() throws {
        let simulation = base()
        #expect(Fingerprint(simulation, history: CartHistory()) == Fingerprint(try #require(simulation.fork()), history: CartHistory()))
    }
}
