import CheckoutProto
import Foundation
import SwiftProtobuf

/// A transport reply decoded into what the client cares about.
enum ValidationReply {
    case success(Checkout_V1_ValidateOrderItemsInsertResponse)
    case failure(ResultCategory, message: String, code: RPCCode)

    init(_ reply: TransportReply) {
        switch reply {
        case .response(let data):
            do {
                self = .success(try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: data))
            } catch {
                self = .failure(.network, message: "could not decode the response (\(data.count) bytes): \(error)", code: .dataLoss)
            }
        case .failure(let status):
            self = .failure(ErrorTable.category(forMessage: status.message), message: status.message, code: status.code)
        case .timeout:
            self = .failure(.network, message: "request timed out: no response", code: .deadlineExceeded)
        }
    }

    var category: ResultCategory {
        if case .failure(let category, _, _) = self { return category }
        return .ok
    }

    var message: String? {
        if case .failure(_, let message, _) = self { return message }
        return nil
    }

    var code: RPCCode? {
        if case .failure(_, _, let code) = self { return code }
        return nil
    }

    var response: Checkout_V1_ValidateOrderItemsInsertResponse? {
        if case .success(let response) = self { return response }
        return nil
    }
}

/// Proto3 JSON rendering for journals and timelines. The checkout API's messages have
/// their own overloads (ProtoJSONEncoding.swift), byte for byte the same and much cheaper.
public enum ProtoJSON {
    /// `message` as compact proto3 JSON (default values omitted), by swift-protobuf.
    public static func string(_ message: some SwiftProtobuf.Message) -> String {
        (try? message.jsonString()) ?? "{}"
    }

    /// An RPC error in the Connect JSON error shape.
    public static func errorJSON(code: String, message: String) -> String {
        let object: [String: String] = ["code": code, "message": message]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
