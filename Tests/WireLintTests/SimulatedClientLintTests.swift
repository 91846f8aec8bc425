import CheckoutCore
import MockBackend
import Simulation
import Testing
@testable import WireLint

/// The simulated client follows the seed, so the lint never finds anything in
/// its journal, whatever the shopper does and whatever the backend is armed
/// with; the legacy client gets exactly the legacy verdict.
@Suite struct SimulatedClientLintTests {
    /// A shopper's actions, each followed by a pause longer than any reply, the
    /// client's timeout and the retry window (the shopper never clicks twice
    /// while a request is in flight: that is rule 7, a real finding).
    static func randomActions(_ generator: inout SeededGenerator, count: Int) -> [Action] {
        let skus = ["BEANS-1KG", "MUG", "FILTERS", "GRINDER", "KETTLE"]
        let rules: [RuleSpec] = [
            RuleSpec(.rotate), RuleSpec(.paymentAlreadyCompleted), RuleSpec(.paymentAlreadyCompleted, .times(2)),
            RuleSpec(.paymentUnavailable), RuleSpec(.failedToCreatePaymentIntent),
            RuleSpec(.error(message: "cart changed", code: .invalidArgument)), RuleSpec(.latency(millis: 2_500)),
            RuleSpec(.dropResponse), RuleSpec(.timeout), RuleSpec(.garbleResponse), RuleSpec(.connectionReset),
            RuleSpec(.expireSessions), RuleSpec(.markPaid), RuleSpec(.keyInUse),
        ]
        var actions: [Action] = [.addItem(sku: "MUG", qty: 1)]
        for _ in 0..<count {
            let action: Action
            switch Int.random(in: 0..<12, using: &generator) {
            case 0: action = .addItem(sku: skus.randomElement(using: &generator)!, qty: 1)
            case 1: action = .paymentMethod(PaymentMethod.allCases.randomElement(using: &generator)!)
            case 2, 3: action = .checkout(clicks: 1)
            case 4: action = .refresh
            case 5: action = .retry
            case 6: action = .pay(card: TestCard.allCases.randomElement(using: &generator)!.rawValue)
            case 7: action = .returnFromRedirect(Bool.random(using: &generator) ? .succeeded : .failed)
            case 8: action = .checkout(clicks: Int.random(in: 2...3, using: &generator))
            default: action = .arm(rules.randomElement(using: &generator)!)
            }
            actions.append(action)
            if !action.isBackend { actions.append(.wait(millis: 15_000)) }
        }
        return actions
    }

    static func lint(_ variant: ClientVariant, seed: UInt64, count: Int) -> (LintReport, [Action]) {
        var generator = SeededGenerator(seed: seed)
        let actions = randomActions(&generator, count: count)
        let simulation = Simulation(configuration: SimulationConfiguration(seed: seed, client: ClientSettings(variant: variant)))
        for action in actions { simulation.apply(action) }
        var linter = WireLinter()
        linter.read((try? simulation.backend.store.journal(after: 0, limit: .max)) ?? [])
        return (linter.report(nowMillis: simulation.clock.nowMillis + 60_000), actions)
    }

    @Test(arguments: 0..<200)
    func theStandardClientIsAlwaysClean(seed: UInt64) {
        let (report, actions) = Self.lint(.standard, seed: seed, count: 40)
        #expect(report.verdicts == [], "seed \(seed): \(actions.map(\.summary).joined(separator: ", "))")
        #expect(report.clients.map(\.client) == [WireExchange.simulatedClient])
    }

    @Test(arguments: 0..<10)
    func theLegacyClientGetsExactlyTheLegacyVerdict(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var actions: [Action] = [.addItem(sku: "MUG", qty: 1)]
        for _ in 0..<Int.random(in: 2...6, using: &generator) { actions += [.checkout(clicks: 1), .wait(millis: 15_000)] }
        let simulation = Simulation(configuration: SimulationConfiguration(seed: seed, client: ClientSettings(variant: .legacy)))
        for action in actions { simulation.apply(action) }
        var linter = WireLinter()
        linter.read((try? simulation.backend.store.journal(after: 0, limit: .max)) ?? [])
        let verdicts = linter.report(nowMillis: simulation.clock.nowMillis).verdicts
        #expect(verdicts.map(\.rule) == [.legacyClient])
        let validations = actions.filter { $0 == .checkout(clicks: 1) }.count
        #expect(verdicts.first?.requests.count == validations)
        #expect(verdicts.first?.message.contains("\(validations - 1) duplicate PaymentIntent") == true)
    }
}

@Suite struct SimulatedDoubleSubmitTests {
    @Test func twoClicksWithoutTheGuardWhileARequestIsSlowAreADoubleSubmit() {
        let simulation = Simulation(configuration: SimulationConfiguration(seed: 7))
        for action: Action in [.addItem(sku: "MUG", qty: 1), .setGuard(false), .arm(RuleSpec(.latency(millis: 2_000))),
                               .checkout(clicks: 2), .wait(millis: 5_000)] {
            simulation.apply(action)
        }
        var linter = WireLinter()
        linter.read((try? simulation.backend.store.journal(after: 0, limit: .max)) ?? [])
        let verdicts = linter.report(nowMillis: simulation.clock.nowMillis).verdicts
        #expect(verdicts.map(\.rule) == [.doubleSubmit])
        #expect(verdicts.first?.requests.count == 2)
    }
}
