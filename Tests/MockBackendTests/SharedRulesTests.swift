import CheckoutCore
import Foundation
import Testing
import TestSupport
@testable import MockBackend

/// A store that shares its armed rules, as SQLite does, and fails a rule save or a commit
/// when told to; a failed transaction leaves the stored rules as they were.
private final class FailingRulesStore: ForwardingBackendStore {
    struct Injected: Error {}

    private(set) var storedRules: RuleQueue?
    var failNextSave = false
    var failNextCommit = false
    private var depth = 0

    init() { super.init(InMemoryBackendStore()) }

    override func transaction<T>(_ body: () throws -> T) throws -> T {
        let before = storedRules
        depth += 1
        defer { depth -= 1 }
        do {
            let result = try body()
            if depth == 1, failNextCommit {
                failNextCommit = false
                throw Injected()
            }
            return result
        } catch {
            storedRules = before
            throw error
        }
    }

    override var sharesRules: Bool { true }
    override func loadRules() throws -> RuleQueue? { storedRules }
    override func saveRules(_ rules: RuleQueue) throws {
        if failNextSave {
            failNextSave = false
            throw Injected()
        }
        storedRules = rules
    }
}

@Suite("Shared rules when the store fails")
struct SharedRulesTests {
    private func makeHarness() -> (BackendHarness, FailingRulesStore) {
        let store = FailingRulesStore()
        return (BackendHarness(store: store), store)
    }

    private func remaining(_ backend: MockBackend) -> [Int?] { backend.rules.rules.map(\.remaining) }

    @Test("a rule armed while its save fails is armed once, in this process")
    func armWhileSaveFails() {
        let (harness, store) = makeHarness()
        store.failNextSave = true
        harness.backend.arm(.paymentUnavailable, .times(3), storedKey: nil, nowMillis: harness.now)
        #expect(remaining(harness.backend) == [3])
        let statuses = (0..<5).map { _ in harness.validate().status?.message }
        #expect(statuses == Array(repeating: "payment unavailable", count: 3) + [nil, nil])
    }

    @Test("a disarm whose save fails removes one rule, not two")
    func disarmWhileSaveFails() {
        let (harness, store) = makeHarness()
        harness.backend.arm(.paymentUnavailable, storedKey: nil, nowMillis: harness.now)
        harness.backend.arm(.rotate, storedKey: nil, nowMillis: harness.now)
        store.failNextSave = true
        #expect(harness.backend.disarm(at: 1, nowMillis: harness.now).hasPrefix("disarmed payment_unavailable"))
        #expect(harness.backend.rules.rules.map(\.kind) == [.rotate])
    }

    @Test("a request whose rule save fails takes one firing", arguments: [false, true])
    func requestWhileSaveOrCommitFails(commit: Bool) {
        let (harness, store) = makeHarness()
        harness.backend.arm(.paymentUnavailable, .times(3), storedKey: nil, nowMillis: harness.now)
        if commit { store.failNextCommit = true } else { store.failNextSave = true }
        #expect(harness.validate().status?.message == "payment unavailable")
        #expect(remaining(harness.backend) == [2], "one request, one firing")
        #expect(store.storedRules?.rules.map(\.remaining) == [3], "nothing of the failed transaction was stored")
    }

    @Test("a failed save draws once: the requests see what they would have seen without it")
    func drawsOnce() {
        let outcomes = { (failAt: Int?) -> [Bool] in
            let (harness, store) = makeHarness()
            harness.backend.arm(.paymentUnavailable, .probability(0.5, times: nil), storedKey: nil, nowMillis: harness.now)
            return (0..<24).map { index in
                if index == failAt { store.failNextSave = true }
                return harness.validate().status != nil
            }
        }
        let plain = outcomes(nil)
        #expect(plain.contains(true) && plain.contains(false))
        for failAt in [0, 5, 11] { #expect(outcomes(failAt) == plain, "save failed at request \(failAt)") }
    }
}
