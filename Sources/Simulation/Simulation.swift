import CheckoutCore
import Foundation
import MockBackend

/// The one engine both front ends drive: the seed's client, the byte transport,
/// the mock backend, a clock and the journal. Every shopper action and backend
/// rule of the scenario format is an `Action` for `apply(_:)` (the shortcuts in
/// Simulation+Shortcuts apply one each); `snapshot` is what they observe.
public final class Simulation {
    public let client: CheckoutClient
    public let backend: MockBackend
    public let clock: SimulationClock
    /// The state directory, `nil` when everything lives in memory.
    public let stateDirectory: URL?

    /// What the page shows now; every action replaces it (or clears it).
    public internal(set) var toast: Toast? {
        didSet {
            guard let toast, toast != oldValue else { return }
            log(toast.message, kind: .toast(toast.kind))
            eventObserver?(.toast(toast, atMillis: now))
        }
    }
    /// Every toast and notice so far, oldest first (the newest `messageCapacity`),
    /// so that nothing shown for a moment or cut at the screen's edge is lost.
    public private(set) var messages: [LoggedMessage] = []
    /// How many messages are kept.
    public var messageCapacity = 2_000
    /// The last payment attempt.
    public internal(set) var payment: PaymentStatus = .none
    /// The most recent requests (the oldest are dropped past `timelineCapacity`).
    public private(set) var timeline: [TimelineEntry] = []
    /// All requests answered so far, including the dropped ones.
    public private(set) var requestCount = 0
    public private(set) var keyHistory: [KeyHistoryEntry] = []

    /// How long the client waits for a reply before it gives up on the request: a reply
    /// slower than this, or one that never comes, is a timeout at this point.
    public var clientTimeoutMillis = SimulationConfiguration.defaultClientTimeoutMillis

    /// How many timeline entries are kept for display.
    public var timelineCapacity = 1_000
    /// The card the payment form holds.
    public internal(set) var selectedCard = TestCard.succeeds.rawValue
    /// Told of every action about to be applied, with its time, after the
    /// replies due by then arrived (the recorder).
    public var actionObserver: ((Action, Int64) -> Void)?
    /// Told of everything that happens inside, in order (pictures of a run); `nil` costs nothing.
    public var eventObserver: ((SimulationEvent) -> Void)?
    /// The time of the action being applied: one reading for all it does.
    private var frozenNow: Int64?
    var pending: [PendingReply] = []
    var nextPendingOrder = 0
    private var lastSeenKey: String?

    /// A simulation wired from parts (tests and the headless runner).
    public init(client: CheckoutClient, backend: MockBackend, clock: SimulationClock, stateDirectory: URL? = nil) {
        self.client = client
        self.backend = backend
        self.clock = clock
        self.stateDirectory = stateDirectory
        lastSeenKey = client.keys.getStoredIdempotencyKey()
        if let key = lastSeenKey {
            keyHistory.append(KeyHistoryEntry(atMillis: clock.nowMillis, change: .set, key: key, reason: "found in localStorage at page load",
                                              cause: .foundAtLoad))
        }
        showNotices()
    }

    /// Everything in memory on a virtual clock: headless runs.
    public convenience init(configuration: SimulationConfiguration = SimulationConfiguration(),
                            storage: KeyValueStorage = InMemoryKeyValueStorage(),
                            store: InMemoryBackendStore = InMemoryBackendStore()) {
        self.init(client: CheckoutClient(storage: storage, settings: configuration.client),
                  backend: MockBackend(store: store, seed: configuration.seed),
                  clock: VirtualClock())
        clientTimeoutMillis = configuration.clientTimeoutMillis
    }

    /// Persistent state in `directory` (localStorage JSON + backend SQLite):
    /// restarting is a page refresh, two processes are two tabs. `databaseWait` is
    /// how long one use of the database waits for another tab's lock.
    public convenience init(stateDirectory directory: URL, configuration: SimulationConfiguration,
                            clock: SimulationClock = SystemClock(), databaseWait: TimeInterval = 10) throws {
        let storage = try FileKeyValueStorage(directory: directory)
        let store = try SQLiteBackendStore(directory: directory, busyTimeout: databaseWait)
        self.init(client: CheckoutClient(storage: storage, settings: configuration.client),
                  backend: MockBackend(store: store, seed: configuration.seed),
                  clock: clock, stateDirectory: directory)
        clientTimeoutMillis = configuration.clientTimeoutMillis
    }

    /// An independent copy of a simulation that lives wholly in memory on a virtual clock
    /// (headless runs): the explorer forks a state rather than replaying the actions that led
    /// to it. `nil` for one with a state directory, a real clock or another storage.
    public func fork() -> Simulation? {
        guard stateDirectory == nil, clock.isVirtual,
              let storage = client.storage as? InMemoryKeyValueStorage,
              let store = backend.store as? InMemoryBackendStore else { return nil }
        let copy = Simulation(client: client.copy(storage: storage.copy()), backend: backend.copy(store: store.copy()),
                              clock: VirtualClock(startMillis: clock.nowMillis))
        copy.toast = toast
        copy.messages = messages
        copy.messageCapacity = messageCapacity
        copy.payment = payment
        copy.timeline = timeline
        copy.requestCount = requestCount
        copy.keyHistory = keyHistory
        copy.clientTimeoutMillis = clientTimeoutMillis
        copy.timelineCapacity = timelineCapacity
        copy.selectedCard = selectedCard
        copy.pending = pending
        copy.nextPendingOrder = nextPendingOrder
        copy.lastSeenKey = lastSeenKey
        return copy
    }

    /// Now, as the action being applied sees it.
    var now: Int64 { frozenNow ?? clock.nowMillis }

    // MARK: - Actions

    /// Applies `action`: the one way in for keys, scenario steps, recordings
    /// and the admin API. Replies due by now arrive first, so an action taken
    /// while a request is in flight sees the world a replay will see. Returns
    /// a short line about what happened, for the front end's status line.
    @discardableResult
    public func apply(_ action: Action) -> String? {
        let at = clock.nowMillis
        deliverDue(by: at)
        frozenNow = at
        defer { frozenNow = nil }
        actionObserver?(action, at)
        eventObserver?(.action(action, atMillis: at))
        switch action {
        case .checkout(let clicks): clickCheckout(clicks)
        case .refresh: reloadPage()
        case .retry: clickRetry()
        case .pay(let card): submitPayment(card: card)
        case .returnFromRedirect(let status): comeBack(status)
        case .addItem(let sku, let qty): edit { client.addItem(sku: sku, qty: qty) }
        case .removeItem(let sku): edit { client.removeItem(sku: sku) }
        case .setQty(let sku, let qty): edit { client.setQuantity(sku: sku, qty: qty) }
        case .paymentMethod(let method): edit { client.setPaymentMethod(method) }
        case .fillForm(let form): edit { client.fillForm(form) }
        case .setStoredKey(let key):
            return writeStoredKey(key) ? "wrote \"\(key)\" into localStorage" : "could not write localStorage (l shows why)"
        case .clearStorage:
            clearLocalStorage()
            return "localStorage cleared"
        case .wait(let millis):
            frozenNow = nil
            letTimePass(millis: millis)
        case .setGuard(let on):
            edit { client.settings.doubleSubmitGuard = on }
            return "double-submit guard \(on ? "on" : "off")"
        case .setClient(let policy):
            edit { client.settings.policy = policy }
            return "client: \(policy.name)"
        case .startNewOrder: return startNewOrder()
        case .selectCard(let card): edit { selectedCard = card }
        case .arm(let spec):
            let mark = journalMark
            defer { if let mark { eventObserver?(.backendChanged(journal(since: mark))) } }
            return backend.arm(spec.kind, spec.firing, storedKey: storedKey, nowMillis: now)
        case .disarm(let position): return backend.disarm(at: position, nowMillis: now)
        case .disarmAll:
            backend.disarmAll()
            return "every rule disarmed"
        }
        return nil
    }

    // MARK: - Observation

    /// The key `localStorage` holds now.
    public var storedKey: String? { client.keys.getStoredIdempotencyKey() }

    /// Requests sent and not answered yet.
    public var inFlightCount: Int { pending.count }

    /// Requests sent and not answered yet, in the order their replies arrive (read-only:
    /// the timeline shows them while they wait).
    public var inFlight: [PendingRequest] {
        let generation = client.pageGeneration
        return pending.sorted { ($0.dueMillis, $0.order) < ($1.dueMillis, $1.order) }.enumerated().map { index, item in
            PendingRequest(number: requestCount + 1 + index, sentAtMillis: item.sentAtMillis, trigger: item.exchange.trigger,
                           keySent: item.exchange.keySent, request: item.exchange.request,
                           abandoned: item.exchange.pageGeneration != generation)
        }
    }

    public var snapshot: SimulationSnapshot {
        SimulationSnapshot(
            storedKey: storedKey, toast: toast, cart: client.cart, form: client.form,
            paymentMethod: client.paymentMethod, payment: payment,
            counters: (try? backend.store.counters()) ?? BackendCounters(),
            inFlight: pending.count, requestCount: requestCount)
    }

    /// Timeline entries answered after the first `count` requests.
    public func requests(after count: Int) -> [TimelineEntry] {
        // Numbers increase along the timeline: scan back only over the new ones.
        var start = timeline.endIndex
        while start > timeline.startIndex, timeline[start - 1].number > count { start -= 1 }
        return Array(timeline[start...])
    }

    // MARK: - Validation actions

    /// The checkout button, clicked `clicks` times in quick succession.
    private func clickCheckout(_ clicks: Int) {
        toast = nil
        for _ in 0..<max(clicks, 1) { begin(.checkout) }
    }

    /// The "try again" button.
    private func clickRetry() {
        toast = nil
        begin(.retry)
    }

    /// A page refresh: reload from localStorage, validate with the stored key.
    private func reloadPage() {
        toast = nil
        client.reloadPage()
        showNotices()
        begin(.refresh)
    }

    /// The shopper starts a new order: the page forgets a paid order and validates without a
    /// key. Returns a status line when there is no paid order to leave.
    func startNewOrder() -> String? {
        guard let start = client.startNewOrder() else {
            return "no paid order to leave: a new order starts after the page said the order was paid"
        }
        toast = nil
        started(start)
        noteKeyChange(reason: "cleared: the shopper started a new order")
        showNotices()
        return nil
    }

    private func begin(_ trigger: ValidationTrigger) {
        started(client.beginValidation(trigger))
    }

    private func started(_ start: ValidationStart) {
        switch start {
        case .sent(let exchange): send(exchange)
        case .ignoredWhileInFlight: break
        case .emptyCart(let shown), .orderAlreadyPaid(let shown): toast = shown
        }
    }

    private func send(_ exchange: ValidationExchange) {
        send(exchange, at: now)
    }

    /// Sends at `sentAt`: a retry leaves when the reply it follows arrived, so
    /// a real clock's late tick and a virtual clock agree on when it is due.
    private func send(_ exchange: ValidationExchange, at sentAt: Int64) {
        let mark = journalMark
        let delivery = backend.handleAtomically(.validateOrderItemsInsert, exchange.bytes, nowMillis: sentAt)
        if let mark {
            eventObserver?(.validationSent(exchangeID: exchange.id, trigger: exchange.trigger, keySent: exchange.keySent,
                                           atMillis: sentAt, firedRules: delivery.firedRules, backend: journal(since: mark)))
        }
        // The client's deadline: a lost reply, or one slower than the timeout, is a timeout then
        // (the server may well have processed the request).
        var reply = delivery.reply, delay = delivery.delayMillis
        var kind: TimelineEntry.ReplyKind = if case .failure = reply { .serverError } else { .response }
        if case .timeout = reply {
            delay = clientTimeoutMillis
            kind = .lost
        } else if delay > clientTimeoutMillis {
            reply = .timeout
            delay = clientTimeoutMillis
            kind = .tooSlow
        }
        pending.append(PendingReply(dueMillis: sentAt + delay, order: nextPendingOrder, sentAtMillis: sentAt,
                                    exchange: exchange, reply: reply, kind: kind, firedRules: delivery.firedRules))
        nextPendingOrder += 1
    }

    /// Delivers every reply due by now (real clock: call on each UI tick).
    public func deliverDue() {
        deliverDue(by: clock.nowMillis)
    }

    private func deliverDue(by limit: Int64) {
        while let next = nextPending(dueBy: limit) { deliver(next) }
        trackExternalKeyChange()
    }

    /// Virtual clock: advances time reply by reply until nothing is in flight.
    public func runUntilIdle() {
        while let next = nextPending(dueBy: .max) {
            clock.advance(toMillis: next.dueMillis)
            deliver(next)
        }
    }

    /// Lets `millis` of time pass, delivering replies as they fall due.
    private func letTimePass(millis: Int64) {
        let target = clock.nowMillis + max(millis, 0)
        while let next = nextPending(dueBy: target) {
            clock.advance(toMillis: next.dueMillis)
            deliver(next)
        }
        clock.advance(toMillis: target)
    }

    private func nextPending(dueBy limit: Int64) -> PendingReply? {
        guard let index = pending.indices.min(by: { (pending[$0].dueMillis, pending[$0].order) < (pending[$1].dueMillis, pending[$1].order) }),
              pending[index].dueMillis <= limit else { return nil }
        return pending.remove(at: index)
    }

    private func deliver(_ item: PendingReply) {
        let step = client.receive(item.reply, for: item.exchange)
        requestCount += 1
        var undecodable: Data?
        if case .response(let bytes) = item.reply, step.record.response == nil {
            undecodable = bytes.prefix(TimelineEntry.keptReplyBytes)
        }
        timeline.append(TimelineEntry(number: requestCount, record: step.record, sentAtMillis: item.sentAtMillis,
                                      answeredAtMillis: item.dueMillis, firedRules: item.firedRules,
                                      reply: item.kind, undecodableBytes: undecodable))
        if timeline.count > timelineCapacity { timeline.removeFirst(timeline.count - timelineCapacity / 2) }
        eventObserver?(.validationAnswered(timeline[timeline.count - 1]))
        let (reason, cause) = keyChangeCause(step.record)
        noteKeyChange(reason: reason, cause: cause)
        switch step.followUp {
        case .retry(let exchange): send(exchange, at: item.dueMillis)
        case .finished(let finalToast): toast = finalToast
        case .abandoned: break
        }
        showNotices()
    }

    // MARK: - Payment actions

    /// Pays with `card` (default: the card that succeeds).
    private func submitPayment(card: String) {
        selectedCard = card
        let outcome = client.pay(card: card, via: transport)
        toast = outcome.toast
        if let status = outcome.status { payment = status }
        noteKeyChange(reason: outcome.status == .succeeded ? "payment succeeded: cleared with cart and form" : "payment",
                      cause: outcome.status == .succeeded ? .clearedAfterPayment : .other)
    }

    /// The shopper comes back from the 3-D Secure page.
    private func comeBack(_ status: RedirectStatus) {
        let outcome = client.returnFromRedirect(status, via: transport)
        toast = outcome.toast
        if let status = outcome.status { payment = status }
        noteKeyChange(reason: "redirect_status=\(status.rawValue): cleared with the cart", cause: .clearedAfterPayment)
    }

    private var transport: Transport { ImmediateTransport(simulation: self) }

    // MARK: - Shopper and browser actions

    /// Tampers with localStorage: writes `key` as the stored key. Returns whether
    /// the write worked (a failure is also a notice).
    private func writeStoredKey(_ key: String) -> Bool {
        var written = false
        edit { written = client.attempt("write localStorage") { try client.keys.setIdempotencyKey(key) } }
        noteKeyChange(reason: "localStorage edited by hand", change: .tampered, cause: .editedByHand)
        return written
    }

    /// Clears the whole localStorage (the page's in-memory state stays until a refresh).
    private func clearLocalStorage() {
        edit {
            for key in client.storage.allValues().keys {
                client.attempt("clear localStorage") { try client.storage.removeValue(forKey: key) }
            }
        }
        noteKeyChange(reason: "localStorage cleared by hand (x)", change: .tampered, cause: .clearedByHand)
    }

    private func edit(_ body: () -> Void) {
        toast = nil
        body()
        showNotices()
    }

    // MARK: - Key history

    private func noteKeyChange(reason: String, change forced: KeyHistoryEntry.Change? = nil, cause: KeyHistoryEntry.Cause = .other) {
        let key = storedKey
        guard key != lastSeenKey else { return }
        let change: KeyHistoryEntry.Change = forced ?? (key == nil ? .cleared : (lastSeenKey == nil ? .set : .rotated))
        keyHistory.append(KeyHistoryEntry(atMillis: now, change: change, key: key, reason: reason, cause: cause))
        eventObserver?(.keyChanged(keyHistory[keyHistory.count - 1]))
        if keyHistory.count > 500 { keyHistory.removeFirst(250) }
        lastSeenKey = key
    }

    /// What a reply did to the stored key, in words and as a cause. Called before
    /// `noteKeyChange`, so `lastSeenKey` is still the key before the reply.
    private func keyChangeCause(_ record: RequestRecord) -> (String, KeyHistoryEntry.Cause) {
        switch record.clientAction {
        case .clearedAndRetrying, .toldOrderPaid:
            return ("cleared by \"Payment already completed\"", .clearedAlreadyCompleted)
        case .storedKey:
            return ("stored the returned key", .stored)
        case .overwroteKey:
            if lastSeenKey != record.keySent {
                return ("double-submit race: overwrote another reply's key", .doubleSubmitRace)
            }
            if let last = keyHistory.last, last.cause == .editedByHand, last.key == record.keySent {
                return ("server replaced the tampered key", .tamperedReplaced)
            }
            return ("rotated by the server", .serverRotation)
        default:
            return (record.clientAction.description, .other)
        }
    }

    /// Another process on the same state directory (another tab) may have
    /// changed the key; the key panel follows it.
    public func trackExternalKeyChange() {
        noteKeyChange(reason: "changed in another tab", change: .external, cause: .otherTab)
    }

    /// Shows what storage had to set aside (a corrupt file, an unreadable
    /// database) in the toast. The front end calls it after the backend's
    /// database was first opened.
    public func reportStorageNotices() { showNotices() }

    private func showNotices() {
        let notices = client.drainNotices() + backend.store.drainNotices()
        guard !notices.isEmpty else { return }
        for notice in notices { log(notice, kind: .notice) }
        let summary = notices.count == 1 ? notices[0] : "\(notices.count) notices: " + notices.joined(separator: "; ")
        withoutLogging { toast = Toast(kind: .info, category: .storageRecovered, message: summary) }
    }

    /// Adds a line to the message log (front ends log their own status lines here too).
    public func log(_ text: String, kind: LoggedMessage.Kind) {
        guard !suppressLogging else { return }
        messages.append(LoggedMessage(atMillis: clock.nowMillis, kind: kind, text: text))
        if messages.count > messageCapacity { messages.removeFirst(messages.count - messageCapacity / 2) }
    }

    private var suppressLogging = false

    // MARK: - Events

    /// How many journal lines there were, when someone observes events (`nil`: no one does).
    var journalMark: Int? {
        guard eventObserver != nil else { return nil }
        return (try? backend.store.journalCount()) ?? 0
    }

    /// The journal lines written since `mark`.
    func journal(since mark: Int) -> [JournalEntry] {
        let added = ((try? backend.store.journalCount()) ?? mark) - mark
        guard added > 0 else { return [] }
        return (try? backend.store.recentJournal(limit: added)) ?? []
    }

    private func withoutLogging(_ body: () -> Void) {
        suppressLogging = true
        defer { suppressLogging = false }
        body()
    }
}

/// A reply on its way back to the client.
struct PendingReply {
    var dueMillis: Int64
    var order: Int
    var sentAtMillis: Int64
    var exchange: ValidationExchange
    var reply: TransportReply
    var kind: TimelineEntry.ReplyKind
    var firedRules: [String]
}

/// Payment calls: answered at once through the backend.
final class ImmediateTransport: Transport {
    private unowned let simulation: Simulation

    init(simulation: Simulation) {
        self.simulation = simulation
    }

    func unary(_ method: RPCMethod, _ request: Data) -> TransportReply {
        let mark = simulation.journalMark
        let reply = simulation.backend.handleAtomically(method, request, nowMillis: simulation.now).reply
        if let mark {
            simulation.eventObserver?(.paymentCall(method, reply: reply, atMillis: simulation.now, backend: simulation.journal(since: mark)))
        }
        return reply
    }
}
