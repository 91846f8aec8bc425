import Foundation

extension ClientPolicy {
    /// Every client rule as JSON, for the web shop: the server embeds it in each page, so the
    /// shop's JavaScript reads the same policies, timeout and PaymentIntent methods as the
    /// simulated client.
    public static var tableJSON: String {
        let policies: [[String: Any]] = all.map { policy in
            [
                "name": policy.name,
                "summary": policy.summary,
                "stores_key": policy.storesKey,
                "already_completed": [
                    "retries": policy.alreadyCompleted.retries,
                    "clears": policy.alreadyCompleted.clears.names,
                    "tells_order_paid": policy.alreadyCompleted.tellsOrderPaid,
                    "waits_for_new_order": policy.alreadyCompleted.waitsForNewOrder,
                ] as [String: Any],
            ]
        }
        let table: [String: Any] = [
            "timeout_ms": defaultTimeoutMillis,
            "payment_intent_methods": paymentIntentMethods.map(\.rawValue),
            "policies": policies,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: table, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
