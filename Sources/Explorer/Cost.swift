import CheckoutCore
import Simulation

/// What a client costs the shopper over one search (docs/explore.md, "Comparing policies").
/// Measured on the paying paths: every sequence the search plays whose last step is a
/// shopper's move during which the page's own payment succeeded.
public struct ExploreCost: Equatable, Sendable {
    /// Paying paths the search played.
    public var payingPaths = 0
    /// Validation requests sent along the paying paths, all together.
    public var validations = 0
    /// Toasts shown along the paying paths (a shopper's step that ends with an error or
    /// info toast; the payment's own success toast is not a cost).
    public var toasts = 0
    /// The fewest shopper steps, on any paying path, from the step that received
    /// "Payment already completed" after a payment (counted) to the payment (counted);
    /// `nil`: none within the depth.
    public var fewestStepsToPayAgain: Int?

    public init() {}

    /// Validation requests per paying path (`nil`: no payment within the depth).
    public var validationsPerPayment: Double? { payingPaths > 0 ? Double(validations) / Double(payingPaths) : nil }

    /// Toasts per paying path (`nil`: no payment within the depth).
    public var toastsPerPayment: Double? { payingPaths > 0 ? Double(toasts) / Double(payingPaths) : nil }

    mutating func record(_ path: PathCost) {
        payingPaths += 1
        validations += path.validations
        toasts += path.toasts
        if let since = path.alreadyCompletedAtStep {
            let steps = path.shopperSteps - since + 1
            fewestStepsToPayAgain = min(fewestStepsToPayAgain ?? steps, steps)
        }
    }

    mutating func merge(_ other: ExploreCost) {
        payingPaths += other.payingPaths
        validations += other.validations
        toasts += other.toasts
        if let steps = other.fewestStepsToPayAgain {
            fewestStepsToPayAgain = min(fewestStepsToPayAgain ?? steps, steps)
        }
    }
}

/// The costs along one path, carried from a state to its children.
struct PathCost: Equatable {
    var validations = 0
    var toasts = 0
    var shopperSteps = 0
    /// The shopper step (1 for the first) that last received "Payment already completed"
    /// after a payment.
    var alreadyCompletedAtStep: Int?
    /// The path's last step was a shopper's move during which the page's payment succeeded.
    var paid = false

    /// What the simulation shows before a step, to tell what the step did.
    struct Before {
        var requests: Int
        var paid: Int
        var toast: Toast?

        init(_ simulation: Simulation) {
            requests = simulation.requestCount
            paid = PathCost.paidCount(simulation)
            toast = simulation.toast
        }
    }

    /// The path extended by `move`, played on `simulation` from `before`.
    func extended(by move: Move, on simulation: Simulation, from before: Before) -> PathCost {
        var next = self
        next.paid = false
        let sent = simulation.requests(after: before.requests)
        next.validations += sent.count
        guard !move.action.isBackend else { return next }
        next.shopperSteps += 1
        // Only a "Payment already completed" that follows a real payment starts paying *again*
        // (an injected one, before any payment, would make the first payment look like a second).
        if before.paid > 0, sent.contains(where: { $0.record.result == .paymentAlreadyCompleted }) {
            next.alreadyCompletedAtStep = next.shopperSteps
        }
        if let toast = simulation.toast, toast.kind != .success, Self.shows(toast, after: move, before: before) { next.toasts += 1 }
        next.paid = Self.paidCount(simulation) > before.paid
        return next
    }

    /// Whether the step showed `toast`: every action but a wait clears the toast first, so
    /// after a wait only a toast that changed (a reply arrived meanwhile) is new.
    private static func shows(_ toast: Toast, after move: Move, before: Before) -> Bool {
        if case .wait = move.action { return toast != before.toast }
        return true
    }

    static func paidCount(_ simulation: Simulation) -> Int {
        (try? simulation.backend.store.counters().paid) ?? 0
    }
}
