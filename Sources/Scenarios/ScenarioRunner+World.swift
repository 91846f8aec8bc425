import CheckoutCore
import MockBackend
import Simulation

extension ScenarioRunner {
    /// Puts `world` in place in a simulation just made from the rest of the setup.
    static func restore(_ world: WorldSetup, into simulation: Simulation) {
        let now = simulation.clock.nowMillis
        for rule in world.rules {
            simulation.backend.arm(rule.kind, rule.firing, storedKey: simulation.storedKey, nowMillis: now)
        }
        for session in world.sessions {
            simulation.backend.restoreSession(key: session.key, status: session.status, amountCents: session.amountCents,
                                              intentStatus: session.intentStatus,
                                              lastValidatedAtMillis: now - session.idleMillis, nowMillis: now)
        }
        let store = simulation.backend.store
        /// A session's PaymentIntent (sessions of `open_sessions` too).
        func intent(of key: String?) -> PaymentIntent? {
            guard let key, let session = try? store.session(key: key) else { return nil }
            return try? store.intent(id: session.paymentIntentID)
        }
        if let validation = world.validation {
            let paid = intent(of: validation.session)
            simulation.client.restoreValidation(paymentMethod: validation.paymentMethod, key: validation.session,
                                                paymentIntentID: paid?.id, clientSecret: paid?.clientSecret)
        }
        simulation.restoreInFlight(world.inFlight)
        for used in world.keysInUse { simulation.backend.restoreKeyInUse(used.key, forMillis: used.forMillis, nowMillis: now) }
        if let key = world.pendingRedirect { simulation.client.restorePendingRedirect(intent(of: key)?.id) }
        // The page loaded these already; only localStorage forgets them.
        let storageKeys: [PageField: String] = [.cart: ShopperStore.Key.cart, .form: ShopperStore.Key.form,
                                                .paymentMethod: ShopperStore.Key.paymentMethod]
        for field in world.notInStorage.sorted() {
            if let key = storageKeys[field] { try? simulation.client.storage.removeValue(forKey: key) }
        }
        simulation.restoreOutcome(payment: world.payment, toast: world.toast, card: world.card)
    }
}
