import CheckoutProto
import Foundation
import SwiftProtobuf

/// A transport reply decoded into what the client cares about.
enum ValidationReply {
    case success(Checkout_V1_ValidateOrderItemsInsertResponse, json: String)
    case failure(ResultCategory, message: String, json: String)

    init(_ reply: TransportReply) {
        switch reply {
        case .response(let data):
            do {
                let response = try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: data)
                self = .success(response, json: ProtoJSON.string(response))
            } catch {
                let message = "could not decode the response (\(data.count) bytes): \(error)"
                self = .failure(.network, message: message, json: ProtoJSON.errorJSON(code: "data_loss", message: message))
            }
        case .failure(let status):
            self = .failure(ErrorTable.category(forMessage: status.message), message: status.message,
                            json: ProtoJSON.errorJSON(code: status.code.name, message: status.message))
        case .timeout:
            let message = "request timed out: no response"
            self = .failure(.network, message: message, json: ProtoJSON.errorJSON(code: "deadline_exceeded", message: message))
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

    var json: String {
        switch self {
        case .success(_, let json), .failure(_, _, let json): json
        }
    }

    var response: Checkout_V1_ValidateOrderItemsInsertResponse? {
        if case .success(let response, _) = self { return response }
        return nil
    }
}

/// Proto3 JSON rendering for journals and timelines.
public enum ProtoJSON {
    /// `message` as compact proto3 JSON (default values omitted).
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
