import CheckoutCore
import CheckoutProto
import Foundation
import MockBackend

/// A validation request in flight when a recording started, as its setup
/// writes it: what was sent, and the reply already decided, due later.
public struct InFlightSetup: Equatable, Sendable {
    /// The reply on its way.
    public enum Reply: Equatable, Sendable {
        /// A response; `session`: the key of the session it returns (card methods).
        case ok(session: String?)
        case error(RPCStatus)
        /// Bytes that cannot be decoded.
        case garbled
        /// No reply: the client gives up at its timeout.
        case lost
        /// A reply slower than the client's timeout: a timeout too.
        case tooSlow
    }

    public var trigger: ValidationTrigger
    public var keySent: String?
    public var paymentMethod: PaymentMethod
    /// Sent by the page before its last refresh: its reply is ignored.
    public var abandoned: Bool
    public var arrivesInMillis: Int64
    public var reply: Reply
    /// The labels of the rules that fired for it.
    public var firedRules: [String]

    public init(trigger: ValidationTrigger, keySent: String?, paymentMethod: PaymentMethod, abandoned: Bool,
                arrivesInMillis: Int64, reply: Reply, firedRules: [String]) {
        self.trigger = trigger
        self.keySent = keySent
        self.paymentMethod = paymentMethod
        self.abandoned = abandoned
        self.arrivesInMillis = arrivesInMillis
        self.reply = reply
        self.firedRules = firedRules
    }
}

extension Simulation {
    /// The requests in flight now, in the order their replies arrive.
    public var inFlightSetup: [InFlightSetup] {
        let now = clock.nowMillis
        return pending.sorted { ($0.dueMillis, $0.order) < ($1.dueMillis, $1.order) }.map { item in
            let reply: InFlightSetup.Reply
            switch (item.kind, item.reply) {
            case (.lost, _): reply = .lost
            case (.tooSlow, _): reply = .tooSlow
            case (_, .failure(let status)): reply = .error(status)
            case (_, .response(let bytes)):
                if let response = try? Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: bytes) {
                    reply = .ok(session: response.idempotencyKey.isEmpty ? nil : response.idempotencyKey)
                } else {
                    reply = .garbled
                }
            case (_, .timeout): reply = .lost
            }
            return InFlightSetup(
                trigger: item.exchange.trigger, keySent: item.exchange.keySent,
                paymentMethod: PaymentMethod(proto: item.exchange.request.paymentMethod) ?? .card,
                abandoned: item.exchange.pageGeneration != client.pageGeneration,
                arrivesInMillis: max(item.dueMillis - now, 0), reply: reply, firedRules: item.firedRules)
        }
    }

    /// Puts requests in flight as they were before a scenario started (a recording's setup),
    /// their replies due in order; an `ok` reply returns its session's PaymentIntent.
    public func restoreInFlight(_ requests: [InFlightSetup]) {
        let now = clock.nowMillis
        for request in requests {
            let exchange = client.restoreExchange(request.trigger, key: request.keySent, paymentMethod: request.paymentMethod,
                                                  abandoned: request.abandoned)
            let reply: TransportReply, kind: TimelineEntry.ReplyKind
            switch request.reply {
            case .ok(let key):
                var response = Checkout_V1_ValidateOrderItemsInsertResponse()
                response.paymentMethod = request.paymentMethod.proto
                response.currency = "EUR"
                if let key, let session = try? backend.store.session(key: key) {
                    response.idempotencyKey = key
                    response.paymentIntentID = session.paymentIntentID
                    response.clientSecret = (try? backend.store.intent(id: session.paymentIntentID))?.clientSecret ?? ""
                }
                (reply, kind) = (.response((try? response.serializedData()) ?? Data()), .response)
            case .error(let status): (reply, kind) = (.failure(status), .serverError)
            case .garbled: (reply, kind) = (.response(Data([0x0A, 0x7F])), .response)
            case .lost: (reply, kind) = (.timeout, .lost)
            case .tooSlow: (reply, kind) = (.timeout, .tooSlow)
            }
            pending.append(PendingReply(dueMillis: now + request.arrivesInMillis, order: nextPendingOrder, sentAtMillis: now,
                                        exchange: exchange, reply: reply, kind: kind, firedRules: request.firedRules))
            nextPendingOrder += 1
        }
    }
}
