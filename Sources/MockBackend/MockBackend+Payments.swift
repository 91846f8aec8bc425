import CheckoutCore
import CheckoutProto
import Foundation
import SwiftProtobuf

// MARK: - Stripe test cards

extension MockBackend {
    func confirmPayment(_ request: Checkout_V1_ConfirmPaymentRequest, nowMillis: Int64) -> TransportReply {
        let method = RPCMethod.confirmPayment
        var logged = request
        logged.cardNumber = String(repeating: "•", count: max(request.cardNumber.count - 4, 0)) + request.cardNumber.suffix(4)
        journal(.request(method, json: ProtoJSON.string(logged)), nowMillis)
        let result: Result<Checkout_V1_ConfirmPaymentResponse, RPCStatus>
        do {
            result = try store.transaction { try confirm(request, nowMillis: nowMillis) }
        } catch {
            result = .failure(RPCStatus(code: .internal, message: "backend storage error: \(error)"))
        }
        return reply(result, method, nowMillis, json: ProtoJSON.string)
    }

    private func confirm(_ request: Checkout_V1_ConfirmPaymentRequest, nowMillis: Int64) throws
        -> Result<Checkout_V1_ConfirmPaymentResponse, RPCStatus> {
        guard let intent = try store.intent(id: request.paymentIntentID) else {
            return .failure(RPCStatus(code: .notFound, message: "No such PaymentIntent: \(request.paymentIntentID)"))
        }
        guard intent.clientSecret == request.clientSecret else {
            return .failure(RPCStatus(code: .invalidArgument, message: "The client secret does not match the PaymentIntent"))
        }
        switch intent.status {
        case .succeeded:
            return .failure(RPCStatus(code: .failedPrecondition, message: "This PaymentIntent has already succeeded"))
        case .canceled:
            return .failure(RPCStatus(code: .failedPrecondition, message: "This PaymentIntent was canceled"))
        default: break
        }
        var response = Checkout_V1_ConfirmPaymentResponse()
        response.paymentIntentID = intent.id
        switch TestCard(rawValue: request.cardNumber) {
        case .succeeds:
            try setIntentStatus(intent.id, .processing, nowMillis: nowMillis)
            try setIntentStatus(intent.id, .succeeded, nowMillis: nowMillis)
            response.status = .succeeded
        case .threeDSecure:
            try setIntentStatus(intent.id, .requiresAction, nowMillis: nowMillis)
            response.status = .requiresAction
            response.redirectURL = "https://hooks.stripe.test/3d_secure/\(intent.id)"
        case .insufficientFunds:
            try decline(intent, &response, code: "insufficient_funds", message: "Your card has insufficient funds.", nowMillis)
        case .declined:
            try decline(intent, &response, code: "card_declined", message: "Your card was declined.", nowMillis)
        case nil:
            try decline(intent, &response, code: "card_declined", message: "Your card was declined (not a Stripe test card).", nowMillis)
        }
        return .success(response)
    }

    private func decline(_ intent: PaymentIntent, _ response: inout Checkout_V1_ConfirmPaymentResponse,
                         code: String, message: String, _ nowMillis: Int64) throws {
        try setIntentStatus(intent.id, .requiresPaymentMethod, nowMillis: nowMillis)
        response.status = .requiresPaymentMethod
        response.declineCode = code
        response.message = message
        journal(.intent(.declined(id: intent.id, code: code)), nowMillis)
    }

    func completeRedirect(_ request: Checkout_V1_CompleteRedirectRequest, nowMillis: Int64) -> TransportReply {
        let method = RPCMethod.completeRedirect
        journal(.request(method, json: ProtoJSON.string(request)), nowMillis)
        let result: Result<Checkout_V1_CompleteRedirectResponse, RPCStatus>
        do {
            result = try store.transaction {
                guard let intent = try store.intent(id: request.paymentIntentID) else {
                    return .failure(RPCStatus(code: .notFound, message: "No such PaymentIntent: \(request.paymentIntentID)"))
                }
                let succeeded = request.redirectStatus == "succeeded"
                if succeeded, intent.status != .requiresAction {
                    // Stripe cannot authenticate a PaymentIntent that no longer waits for it
                    // (canceled by a rotation or an expiry, or already paid).
                    return .failure(RPCStatus(
                        code: .failedPrecondition,
                        message: "payment_intent_unexpected_state: You cannot confirm this PaymentIntent because it has a status of \(intent.status.rawValue)."))
                }
                if intent.status == .requiresAction {
                    if succeeded { try setIntentStatus(intent.id, .processing, nowMillis: nowMillis) }
                    try setIntentStatus(intent.id, succeeded ? .succeeded : .requiresPaymentMethod, nowMillis: nowMillis)
                }
                var response = Checkout_V1_CompleteRedirectResponse()
                response.paymentIntentID = intent.id
                response.status = (try store.intent(id: intent.id))?.status.proto ?? .unspecified
                response.redirectStatus = request.redirectStatus
                return .success(response)
            }
        } catch {
            result = .failure(RPCStatus(code: .internal, message: "backend storage error: \(error)"))
        }
        return reply(result, method, nowMillis, json: ProtoJSON.string)
    }

    /// `json` renders the response for the journal (the concrete `ProtoJSON.string` overload).
    private func reply<M: SwiftProtobuf.Message>(_ result: Result<M, RPCStatus>, _ method: RPCMethod, _ nowMillis: Int64,
                                                json: (M) -> String) -> TransportReply {
        switch result {
        case .success(let response):
            journal(.response(method, json: json(response)), nowMillis)
            return .response((try? response.serializedData()) ?? Data())
        case .failure(let status):
            journal(.error(method, JournalError(code: status.code.name, message: status.message)), nowMillis)
            return .failure(status)
        }
    }
}
