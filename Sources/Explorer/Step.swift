import CheckoutCore
import Simulation

/// Plays one move exactly as `checkout-sim run` plays its step (a `do:` step until no
/// reply is in flight), and keeps the cart's payment history.
public enum Step {
    /// Applies `move` to `simulation`; returns what the step did.
    @discardableResult
    public static func play(_ move: Move, on simulation: Simulation, history: inout CartHistory) -> StepFacts {
        if history.cartClosed { history = CartHistory() }
        let paidBefore = paid(simulation)
        let requestsBefore = simulation.requestCount
        let staleBefore = simulation.backend.rotatedKeysReceived
        let cartBefore = simulation.client.cart.count
        // A new order the shopper asked for, after the page said the order was paid, is a new cart.
        if case .startNewOrder = move.action, simulation.client.holdsOrderAsPaid { history = CartHistory() }
        simulation.apply(move.action)
        if move.waitsForReply { simulation.runUntilIdle() }
        history.paidForCart += paid(simulation) - paidBefore
        if closesCart(move.action), simulation.payment == .succeeded, cartBefore > 0, simulation.client.cart.isEmpty {
            history.cartClosed = true
        }
        if cartBefore > 0, simulation.client.cart.isEmpty,
           simulation.requests(after: requestsBefore).contains(where: { $0.record.clientAction == .toldOrderPaid(clearedCart: true) }) {
            history.cartClosed = true
        }
        return StepFacts(clicks: clicks(move.action), requests: simulation.requestCount - requestsBefore,
                         staleKeysSent: simulation.backend.rotatedKeysReceived - staleBefore)
    }

    private static func paid(_ simulation: Simulation) -> Int {
        (try? simulation.backend.store.counters().paid) ?? 0
    }

    private static func closesCart(_ action: Action) -> Bool {
        switch action {
        case .pay, .returnFromRedirect: true
        default: false
        }
    }

    private static func clicks(_ action: Action) -> Int {
        switch action {
        case .checkout(let clicks): max(clicks, 1)
        case .refresh, .retry, .startNewOrder: 1
        default: 0
        }
    }
}
