import CheckoutProto
import Foundation
import SwiftProtobuf

/// Stripe's test cards, as the payment form offers them.
public enum TestCard: String, Sendable, CaseIterable {
    case succeeds = "4242424242424242"
    case declined = "4000000000000002"
    case insufficientFunds = "4000000000009995"
    case threeDSecure = "4000002760003184"

    /// The card as printed, in groups of four.
    public var display: String {
        var grouped = ""
        for (index, digit) in rawValue.enumerated() {
            if index > 0, index % 4 == 0 { grouped.append(" ") }
            grouped.append(digit)
        }
        return grouped
    }

    /// What the card does.
    public var summary: String {
        switch self {
        case .succeeds: "succeeds"
        case .declined: "declined"
        case .insufficientFunds: "insufficient funds"
        case .threeDSecure: "3-D Secure"
        }
    }

    /// Normalises a typed card number (spaces and dashes removed).
    public static func normalize(_ number: String) -> String {
        number.filter { !$0.isWhitespace && $0 != "-" }
    }
}

// MARK: - Completion flows (seed §4)

extension CheckoutClient {
    /// Pays with `card` using the PaymentIntent of the latest successful
    /// validation. On success this is the seed's direct payment flow: clear the
    /// key, the cart and the form data.
    public func pay(card: String, via transport: Transport) -> PaymentOutcome {
        guard paymentMethod.usesPaymentIntent else {
            guard let validation = lastValidation, PaymentMethod(proto: validation.paymentMethod) == paymentMethod else {
                return notValidated()
            }
            completeDirectPayment()
            return PaymentOutcome(status: .succeeded, toast: Toast(
                kind: .success, category: .orderPlaced,
                message: "Order placed: \(paymentMethod.rawValue), no card payment needed."))
        }
        guard let validation = lastValidation, !validation.paymentIntentID.isEmpty else {
            return notValidated()
        }
        var request = Checkout_V1_ConfirmPaymentRequest()
        request.paymentIntentID = validation.paymentIntentID
        request.clientSecret = validation.clientSecret
        request.cardNumber = TestCard.normalize(card)
        request.returnURL = "/order/redirect"
        let reply = transport.unary(.confirmPayment, (try? request.serializedData()) ?? Data())
        let response: Checkout_V1_ConfirmPaymentResponse
        switch decode(reply, as: Checkout_V1_ConfirmPaymentResponse.self) {
        case .success(let decoded): response = decoded
        case .failure(let message):
            return PaymentOutcome(status: .failed, toast: Toast(
                kind: .error, category: .generic, message: "Something went wrong. (\(message))"))
        }
        switch response.status {
        case .succeeded:
            completeDirectPayment()
            return PaymentOutcome(status: .succeeded, toast: Toast(
                kind: .success, category: .paymentSucceeded, message: "Payment succeeded. Thank you for your order!"))
        case .requiresAction:
            pendingRedirect = response.paymentIntentID
            return PaymentOutcome(status: .requiresAction, toast: Toast(
                kind: .info, category: .requiresAction,
                message: "3-D Secure: the bank asks the shopper to authenticate."))
        default:
            let message = response.message.isEmpty ? "Your card was declined." : response.message
            return PaymentOutcome(status: .declined, toast: Toast(kind: .error, category: .cardDeclined, message: message))
        }
    }

    /// The shopper comes back from the 3-D Secure page with `status`. The bank
    /// side is told first (it settles the PaymentIntent); then, as the order
    /// page does, `redirect_status=succeeded` clears the key and the cart, and
    /// the form data stays.
    public func returnFromRedirect(_ status: RedirectStatus, via transport: Transport) -> PaymentOutcome {
        var request = Checkout_V1_CompleteRedirectRequest()
        request.paymentIntentID = pendingRedirect ?? lastValidation?.paymentIntentID ?? ""
        request.redirectStatus = status.rawValue
        let reply = transport.unary(.completeRedirect, (try? request.serializedData()) ?? Data())
        pendingRedirect = nil
        if status == .succeeded, case .failure(let refused) = reply {
            // Stripe refused (a PaymentIntent canceled meanwhile): nothing was paid, so the key
            // and the cart stay for the next checkout.
            return PaymentOutcome(status: .failed, toast: Toast(
                kind: .error, category: .authenticationFailed,
                message: "3-D Secure could not complete: \(refused.message)"))
        }
        switch status {
        case .succeeded:
            clearKey()
            clearCart()
            lastValidation = nil
            return PaymentOutcome(status: .succeeded, toast: Toast(
                kind: .success, category: .paymentSucceeded, message: "Payment succeeded after 3-D Secure."))
        case .failed:
            return PaymentOutcome(status: .failed, toast: Toast(
                kind: .error, category: .authenticationFailed,
                message: "3-D Secure authentication failed. Please try another card."))
        }
    }

    /// The direct payment flow's clean-up: key, cart and form data.
    private func completeDirectPayment() {
        clearKey()
        clearCart()
        clearFormData()
        lastValidation = nil
    }

    private func notValidated() -> PaymentOutcome {
        PaymentOutcome(status: nil, toast: Toast(
            kind: .info, category: .notValidated,
            message: "Nothing to pay yet: validate the cart first (checkout)."))
    }

    private func decode<M: SwiftProtobuf.Message>(_ reply: TransportReply, as type: M.Type) -> Result<M, DecodeFailure> {
        switch reply {
        case .response(let data):
            do { return .success(try M(serializedBytes: data)) } catch {
                return .failure(DecodeFailure(message: "could not decode the response"))
            }
        case .failure(let status): return .failure(DecodeFailure(message: status.message))
        case .timeout: return .failure(DecodeFailure(message: "request timed out: no response"))
        }
    }
}

struct DecodeFailure: Error {
    let message: String
}
