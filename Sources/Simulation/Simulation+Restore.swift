import CheckoutCore

extension Simulation {
    /// Puts the page's last outcome in place, as it stood before a scenario
    /// started (a recording's setup): the last payment attempt, the toast shown
    /// and the card the payment form holds.
    public func restoreOutcome(payment: PaymentStatus, toast: Toast?, card: String) {
        self.payment = payment
        self.toast = toast
        selectedCard = card
    }
}
