import Foundation

/// gRPC / Connect status codes; errors travel as a code and a message.
public enum RPCCode: Int, Sendable, CaseIterable, Codable {
    case ok = 0, canceled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists,
         permissionDenied, resourceExhausted, failedPrecondition, aborted, outOfRange,
         unimplemented, `internal`, unavailable, dataLoss, unauthenticated

    /// The Connect protocol's snake_case name, e.g. `failed_precondition`.
    public var name: String {
        switch self {
        case .ok: "ok"
        case .canceled: "canceled"
        case .unknown: "unknown"
        case .invalidArgument: "invalid_argument"
        case .deadlineExceeded: "deadline_exceeded"
        case .notFound: "not_found"
        case .alreadyExists: "already_exists"
        case .permissionDenied: "permission_denied"
        case .resourceExhausted: "resource_exhausted"
        case .failedPrecondition: "failed_precondition"
        case .aborted: "aborted"
        case .outOfRange: "out_of_range"
        case .unimplemented: "unimplemented"
        case .internal: "internal"
        case .unavailable: "unavailable"
        case .dataLoss: "data_loss"
        case .unauthenticated: "unauthenticated"
        }
    }

    /// Parses a Connect name (`failed_precondition`) or a number.
    public init?(name: String) {
        let lowered = name.lowercased()
        if let match = RPCCode.allCases.first(where: { $0.name == lowered }) {
            self = match
        } else if let number = Int(name), let code = RPCCode(rawValue: number) {
            self = code
        } else {
            return nil
        }
    }
}

/// An RPC error as the server sent it.
public struct RPCStatus: Error, Equatable, Sendable {
    public var code: RPCCode
    public var message: String

    public init(code: RPCCode, message: String) {
        self.code = code
        self.message = message
    }
}

/// The RPC methods of `checkout.v1.CheckoutService`.
public enum RPCMethod: String, Sendable, CaseIterable {
    case validateOrderItemsInsert = "/checkout.v1.CheckoutService/ValidateOrderItemsInsert"
    case confirmPayment = "/checkout.v1.CheckoutService/ConfirmPayment"
    case completeRedirect = "/checkout.v1.CheckoutService/CompleteRedirect"
}

extension RPCMethod {
    /// `ValidateOrderItemsInsert`.
    public var shortName: String {
        switch self {
        case .validateOrderItemsInsert: "ValidateOrderItemsInsert"
        case .confirmPayment: "ConfirmPayment"
        case .completeRedirect: "CompleteRedirect"
        }
    }

    /// The method named by the last path component, or `nil`.
    public init?(shortName: String) {
        guard let match = RPCMethod.allCases.first(where: { $0.shortName == shortName }) else { return nil }
        self = match
    }
}

/// What came back for one call, as the client sees it.
public enum TransportReply: Equatable, Sendable {
    /// Serialized response bytes; they may still fail to decode.
    case response(Data)
    /// An RPC error status.
    case failure(RPCStatus)
    /// No answer in time (the request or the response was lost).
    case timeout
}

/// Carries serialized request bytes to the backend and answers with bytes or an
/// error, like a Connect / gRPC unary call. Synchronous: latency is modelled by
/// whoever schedules the reply (the `Simulation`).
public protocol Transport: AnyObject {
    /// Sends `request` (serialized proto bytes) to `method`.
    func unary(_ method: RPCMethod, _ request: Data) -> TransportReply
}
