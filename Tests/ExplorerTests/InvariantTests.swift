import CheckoutCore
import MockBackend
import Testing
@testable import Explorer

/// Hand-built states: each invariant catches the violating one and accepts the clean one.
@Suite("Invariants")
struct InvariantTests {
    private static let day = MockBackend.sessionLifetimeMillis

    private func invariant(_ name: String) throws -> Invariant {
        try #require(Invariant.all.first { $0.name == name })
    }

    private func session(_ key: String, _ status: SessionStatus = .open, validatedAt: Int64 = 0) -> PaymentSession {
        PaymentSession(key: key, paymentIntentID: "pi_\(key)", status: status, createdAtMillis: 0, lastValidatedAtMillis: validatedAt)
    }

    private func intent(_ key: String, _ status: IntentStatus = .requiresPaymentMethod) -> PaymentIntent {
        PaymentIntent(id: "pi_\(key)", sessionKey: key, amountCents: 1000, currency: "EUR", status: status,
                      clientSecret: "s", updatedAtMillis: 0)
    }

    @Test("every invariant has a name, an explanation and a consequence")
    func described() {
        #expect(Invariant.all.map(\.name) == ["double_charge", "orphan_intent", "key_after_payment", "duplicate_sessions",
                                              "retry_loop", "stale_key_sent", "paid_but_unknown"])
        for invariant in Invariant.all {
            #expect(invariant.explanation.hasSuffix("."))
            #expect(!invariant.consequence.isEmpty)
        }
    }

    @Test("double_charge: two PaymentIntents paid for the cart the page holds; one is fine")
    func doubleCharge() throws {
        let check = try invariant("double_charge")
        #expect(check.isBroken(Observation(paidForCart: 2)))
        #expect(!check.isBroken(Observation(paidForCart: 1)))
    }

    @Test("orphan_intent: a live PaymentIntent the page cannot reach while it works with another")
    func orphan() throws {
        let check = try invariant("orphan_intent")
        let orphaned = Observation(sessions: [session("k1"), session("k2")], intents: [intent("k1"), intent("k2")],
                                   reachableIntents: ["pi_k2"])
        #expect(check.isBroken(orphaned))
        #expect(!check.isBroken(Observation(sessions: [session("k1")], intents: [intent("k1")], reachableIntents: ["pi_k1"])))
        var rotated = orphaned
        rotated.sessions[0].status = .rotated
        rotated.intents[0].status = .canceled
        #expect(!check.isBroken(rotated), "a rotated session's PaymentIntent was canceled: not an orphan")
        var overdue = orphaned
        overdue.nowMillis = Self.day + 1
        overdue.sessions[1].lastValidatedAtMillis = Self.day
        #expect(!check.isBroken(overdue), "a session past its 24 h expires: not an orphan")
    }

    @Test("key_after_payment: the stored key's session is paid")
    func keyAfterPayment() throws {
        let check = try invariant("key_after_payment")
        #expect(check.isBroken(Observation(storedKey: "k1", sessions: [session("k1", .paid)])))
        #expect(!check.isBroken(Observation(storedKey: "k1", sessions: [session("k1")])))
        #expect(!check.isBroken(Observation(storedKey: nil, sessions: [session("k1", .paid)])))
    }

    @Test("duplicate_sessions: two open sessions; an open and a rotated one are fine")
    func duplicateSessions() throws {
        let check = try invariant("duplicate_sessions")
        #expect(check.isBroken(Observation(sessions: [session("k1"), session("k2")])))
        #expect(!check.isBroken(Observation(sessions: [session("k1", .rotated), session("k2")])))
    }

    @Test("retry_loop: three requests for one click; two (the seed's one retry) are fine")
    func retryLoop() throws {
        let check = try invariant("retry_loop")
        #expect(check.isBroken(Observation(lastStep: StepFacts(clicks: 1, requests: 3))))
        #expect(!check.isBroken(Observation(lastStep: StepFacts(clicks: 1, requests: 2))))
        #expect(!check.isBroken(Observation(lastStep: StepFacts(clicks: 2, requests: 4))))
    }

    @Test("stale_key_sent: a request carried a key the server had rotated away")
    func staleKey() throws {
        let check = try invariant("stale_key_sent")
        #expect(check.isBroken(Observation(lastStep: StepFacts(clicks: 1, requests: 1, staleKeysSent: 1))))
        #expect(!check.isBroken(Observation(lastStep: StepFacts(clicks: 1, requests: 1))))
    }

    @Test("paid_but_unknown: the page's PaymentIntent succeeded, the page's payment did not")
    func paidButUnknown() throws {
        let check = try invariant("paid_but_unknown")
        let paidElsewhere = Observation(payment: .none, sessions: [session("k1", .paid)], intents: [intent("k1", .succeeded)],
                                        reachableIntents: ["pi_k1"])
        #expect(check.isBroken(paidElsewhere))
        var known = paidElsewhere
        known.payment = .succeeded
        #expect(!check.isBroken(known))
        #expect(!check.isBroken(Observation(sessions: [session("k1")], intents: [intent("k1")], reachableIntents: ["pi_k1"])))
    }

    @Test("an unknown name is refused with the names there are")
    func unknownNames() {
        #expect(throws: ExploreError.self) { try Invariant.select(["double_charge", "nope"]) }
        #expect(throws: ExploreError.self) { try Alphabet.select(actions: ["checkout", "fly"], rules: nil) }
        #expect((try? Alphabet.select(actions: ["checkout"], rules: ["none"]))?.map(\.name) == ["checkout"])
    }
}
