import CheckoutCore
import Foundation
import MockBackend
import Simulation
import TestSupport
import Testing

@Suite("Simulation: client + transport + backend + clock")
struct SimulationTests {
    private func simulation(guardOn: Bool = true, variant: ClientVariant = .standard) -> Simulation {
        let sim = Simulation(configuration: SimulationConfiguration(
            seed: 0, client: ClientSettings(variant: variant, doubleSubmitGuard: guardOn)))
        sim.addItem(sku: "BEANS-1KG", qty: 1)
        return sim
    }

    @Test("checkout stores the server's key and the snapshot shows it")
    func checkout() throws {
        let sim = simulation()
        sim.checkout()
        sim.runUntilIdle()
        let key = try #require(sim.snapshot.storedKey)
        #expect(sim.timeline.map(\.record.keySent) == [nil])
        #expect(sim.timeline.map(\.record.returnedKey) == [key])
        #expect(sim.snapshot.counters == BackendCounters(sessions: 1, paymentIntents: 1, paid: 0))
        #expect(sim.keyHistory.map(\.change) == [.set])
    }

    @Test("latency advances virtual time only; the request is in flight meanwhile")
    func latency() {
        let sim = simulation()
        let clock = sim.clock
        let start = clock.nowMillis
        sim.arm(.latency(millis: 2000))
        sim.checkout()
        #expect(sim.inFlightCount == 1)
        #expect(sim.snapshot.storedKey == nil)
        sim.wait(millis: 1999)
        #expect(sim.inFlightCount == 1)
        sim.runUntilIdle()
        #expect(sim.inFlightCount == 0)
        #expect(sim.snapshot.storedKey != nil)
        #expect(clock.nowMillis - start == 2000)
    }

    @Test("25 h of virtual time expire the session without any real waiting")
    func expiry() throws {
        let sim = simulation()
        sim.checkout()
        sim.runUntilIdle()
        let first = try #require(sim.storedKey)
        let realStart = Date()
        sim.wait(millis: 25 * 3600 * 1000)
        sim.refresh()
        sim.runUntilIdle()
        #expect(Date().timeIntervalSince(realStart) < 5)
        #expect(sim.storedKey != first)
        #expect(sim.keyHistory.last?.change == .rotated)
    }

    @Test("a lost first response leaves an orphan session; the next checkout makes another")
    func orphan() {
        let sim = simulation()
        sim.arm(.dropResponse)
        sim.checkout()
        sim.runUntilIdle()
        #expect(sim.storedKey == nil)
        #expect(sim.timeline.last?.record.result == .network)
        #expect(sim.toast?.category == .generic)
        sim.checkout()
        sim.runUntilIdle()
        #expect(sim.snapshot.counters.sessions == 2)
        #expect(sim.storedKey != nil)
    }

    @Test("'already completed' twice ends in a toast and an empty key")
    func alreadyCompletedTwice() {
        let sim = simulation()
        sim.checkout()
        sim.runUntilIdle()
        sim.arm(.paymentAlreadyCompleted, .times(2))
        sim.checkout()
        sim.runUntilIdle()
        #expect(sim.timeline.suffix(2).map(\.record.result) == [.paymentAlreadyCompleted, .paymentAlreadyCompleted])
        #expect(sim.storedKey == nil)
        #expect(sim.toast?.category == .paymentAlreadyCompleted)
    }

    @Test("paid in another tab: the retry without key recovers")
    func markPaid() throws {
        let sim = simulation()
        sim.checkout()
        sim.runUntilIdle()
        let first = try #require(sim.storedKey)
        sim.arm(.markPaid)
        sim.refresh()
        sim.runUntilIdle()
        #expect(sim.timeline.suffix(2).map(\.record.keySent) == [first, nil])
        #expect(sim.storedKey != nil && sim.storedKey != first)
        #expect(sim.toast == nil)
    }

    @Test("without the guard a double click races two sessions; with it, one request")
    func doubleSubmit() {
        let racing = simulation(guardOn: false)
        racing.checkout(clicks: 2)
        racing.runUntilIdle()
        #expect(racing.timeline.count == 2)
        #expect(racing.snapshot.counters.sessions == 2)

        let guarded = simulation(guardOn: true)
        guarded.checkout(clicks: 2)
        guarded.runUntilIdle()
        #expect(guarded.timeline.count == 1)
        #expect(guarded.snapshot.counters.sessions == 1)
    }

    @Test("pay uses the latest validation's PaymentIntent and clears the key on success")
    func pay() {
        let sim = simulation()
        sim.fillForm(FormData(email: "qa@example.com", name: "QA"))
        sim.checkout()
        sim.runUntilIdle()
        sim.pay()
        #expect(sim.payment == .succeeded)
        #expect(sim.storedKey == nil)
        #expect(sim.client.cart.isEmpty && sim.client.form.isEmpty)
        #expect(sim.snapshot.counters.paid == 1)
        #expect(sim.keyHistory.last?.change == .cleared)
    }

    @Test("two simulations on one state directory see each other's sessions and keys")
    func twoTabs() throws {
        let temporary = TemporaryDirectory("sim-tabs")
        defer { temporary.remove() }
        let dir = temporary.appending("state")
        let config = SimulationConfiguration(seed: nil)
        let tabA = try Simulation(stateDirectory: dir, configuration: config, clock: VirtualClock())
        let tabB = try Simulation(stateDirectory: dir, configuration: config, clock: VirtualClock())
        tabA.addItem(sku: "MUG", qty: 1)
        tabA.checkout()
        tabA.runUntilIdle()
        let key = try #require(tabA.storedKey)
        #expect(tabB.storedKey == key)
        tabB.trackExternalKeyChange()
        #expect(tabB.keyHistory.last?.change == .external)
        tabB.refresh()
        tabB.runUntilIdle()
        #expect(tabB.timeline.last?.record.keySent == key)
        #expect(tabB.timeline.last?.record.returnedKey == key)
        #expect(tabA.snapshot.counters.sessions == 1)
        tabB.pay()
        #expect(tabA.storedKey == nil)
        #expect(tabA.snapshot.counters.paid == 1)
    }

    @Test("a corrupt state directory is set aside and reported in a toast")
    func corruptState() throws {
        let temporary = TemporaryDirectory("sim-corrupt")
        defer { temporary.remove() }
        let dir = temporary.url
        try Data("garbage".utf8).write(to: dir.appendingPathComponent(FileKeyValueStorage.fileName))
        try Data("not sqlite at all".utf8).write(to: dir.appendingPathComponent(SQLiteBackendStore.fileName))
        let sim = try Simulation(stateDirectory: dir, configuration: SimulationConfiguration(), clock: VirtualClock())
        #expect(sim.toast?.category == .storageRecovered)
        #expect(sim.toast?.message.contains("localStorage") == true)
        sim.addItem(sku: "MUG", qty: 1)
        sim.checkout()
        sim.runUntilIdle()
        // The database is opened on first use; what it set aside is reported then.
        #expect(sim.toast?.category == .storageRecovered)
        #expect(sim.toast?.message.contains("backend database") == true)
        #expect(sim.storedKey != nil)
    }
}

@Suite("The client's request timeout")
struct ClientTimeoutTests {
    private func simulation(timeout: Int64) -> Simulation {
        let sim = Simulation(configuration: SimulationConfiguration(seed: 0, clientTimeoutMillis: timeout))
        sim.apply(.addItem(sku: "BEANS-1KG", qty: 1))
        return sim
    }

    @Test("a reply slower than the timeout is a timeout at the deadline; within it, an answer", arguments: [
        (Int64(10_000), Int64(12_000), true), (15_000, 12_000, false), (3_000, 2_000, false), (1_000, 2_000, true),
    ])
    func slowReplies(timeout: Int64, latency: Int64, timesOut: Bool) throws {
        let sim = simulation(timeout: timeout)
        let start = sim.clock.nowMillis
        sim.apply(.arm(.latency(millis: latency), .once))
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        let record = try #require(sim.timeline.last?.record)
        #expect((record.errorCode == .deadlineExceeded) == timesOut, "\(record.result)")
        #expect(sim.clock.nowMillis - start == (timesOut ? timeout : latency))
        #expect(sim.snapshot.counters.sessions == 1, "the server processed it either way")
    }

    @Test("a lost reply is given up on at the client's deadline, not the server's", arguments: [RuleKind.dropResponse, .timeout])
    func lostReplies(rule: RuleKind) throws {
        let sim = simulation(timeout: 2_500)
        let start = sim.clock.nowMillis
        sim.apply(.arm(rule, .once))
        sim.apply(.checkout(clicks: 1))
        sim.runUntilIdle()
        #expect(sim.timeline.last?.record.errorCode == .deadlineExceeded)
        #expect(sim.clock.nowMillis - start == 2_500)
    }
}

@Suite("Every way in is apply")
struct ShortcutTests {
    @Test("each shortcut is its action: the recorder and the event observer see every one, in order")
    func shortcutsAreSeen() {
        let sim = Simulation(configuration: SimulationConfiguration(seed: 0))
        var recorded: [Action] = []
        var observed: [Action] = []
        sim.actionObserver = { action, _ in recorded.append(action) }
        sim.eventObserver = { event in
            if case .action(let action, _) = event { observed.append(action) }
        }
        let form = FormData(email: "qa@example.com", name: "Ada")
        sim.addItem(sku: "MUG", qty: 2)
        sim.setQuantity(sku: "MUG", qty: 3)
        sim.removeItem(sku: "MUG")
        sim.addItem(sku: "BEANS-1KG", qty: 1)
        sim.setPaymentMethod(.card)
        sim.fillForm(form)
        #expect(sim.arm(.latency(millis: 200)) == "armed latency 200ms once")
        sim.checkout(clicks: 2)
        sim.wait(millis: 500)
        sim.retry()
        sim.refresh()
        sim.setStoredKey("tampered")
        sim.clearStorage()
        sim.pay(card: TestCard.threeDSecure.rawValue)
        sim.returnFromRedirect(.failed)
        let expected: [Action] = [
            .addItem(sku: "MUG", qty: 2), .setQty(sku: "MUG", qty: 3), .removeItem(sku: "MUG"),
            .addItem(sku: "BEANS-1KG", qty: 1), .paymentMethod(.card), .fillForm(form),
            .arm(.latency(millis: 200)), .checkout(clicks: 2), .wait(millis: 500), .retry, .refresh,
            .setStoredKey("tampered"), .clearStorage, .pay(card: TestCard.threeDSecure.rawValue), .returnFromRedirect(.failed),
        ]
        #expect(recorded == expected)
        #expect(observed == expected)
        #expect(sim.keyHistory.contains { $0.cause == .editedByHand }, "the tampering happened")
    }
}
