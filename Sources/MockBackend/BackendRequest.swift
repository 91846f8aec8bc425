import CheckoutCore
import CheckoutProto
import Foundation

/// One RPC's request as the backend takes it: decoded once, by whoever read it off
/// the wire (the simulated transport's bytes, or a server's JSON or protobuf body).
public enum BackendRequest: Equatable, Sendable {
    case validation(Checkout_V1_ValidateOrderItemsInsertRequest)
    case payment(Checkout_V1_ConfirmPaymentRequest)
    case redirect(Checkout_V1_CompleteRedirectRequest)
    /// Bytes that do not decode as the method's request; the backend answers
    /// `invalid_argument` (a validation only after the rules are taken).
    case malformed(RPCMethod)

    /// `bytes` decoded as `method`'s request (protobuf, unknown fields kept).
    public init(_ method: RPCMethod, bytes: Data) {
        let decoded: BackendRequest?
        switch method {
        case .validateOrderItemsInsert: decoded = (try? Checkout_V1_ValidateOrderItemsInsertRequest(serializedBytes: bytes)).map { .validation($0) }
        case .confirmPayment: decoded = (try? Checkout_V1_ConfirmPaymentRequest(serializedBytes: bytes)).map { .payment($0) }
        case .completeRedirect: decoded = (try? Checkout_V1_CompleteRedirectRequest(serializedBytes: bytes)).map { .redirect($0) }
        }
        self = decoded ?? .malformed(method)
    }

    /// The RPC it is a request of.
    public var method: RPCMethod {
        switch self {
        case .validation: .validateOrderItemsInsert
        case .payment: .confirmPayment
        case .redirect: .completeRedirect
        case .malformed(let method): method
        }
    }
}
