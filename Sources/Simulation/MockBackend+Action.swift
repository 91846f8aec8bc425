import CheckoutCore
import Foundation
import MockBackend

extension MockBackend {
    /// Applies a backend action (`arm`, `disarm`, `disarm_all`) with no page beside it: the
    /// admin API and `checkout-sim rules`. `mark_paid` pays the newest open session, as no
    /// stored key is at hand. Returns what happened; `nil` for an action of the page.
    @discardableResult
    public func apply(backend action: Action, nowMillis: Int64) -> String? {
        switch action {
        case .arm(let spec):
            let newest = spec.kind == .markPaid ? (try? store.openSessions())?.last?.key : nil
            return arm(spec.kind, spec.firing, storedKey: newest, nowMillis: nowMillis)
        case .disarm(let position):
            return disarm(at: position, nowMillis: nowMillis)
        case .disarmAll:
            disarmAll()
            return "disarmed every rule"
        default:
            return nil
        }
    }
}

/// Why a batch of backend actions was refused, with nothing of it applied.
public enum BackendBatchRefusal: Error, Equatable, CustomStringConvertible {
    /// More actions than one request may carry.
    case tooManyRules(Int)
    /// The armed queue would hold more than `RuleQueue.capacity` rules.
    case queueFull(armed: Int, adding: Int)

    public var description: String {
        switch self {
        case .tooManyRules(let count):
            "\(count) rules in one request; at most \(MockBackend.maxRulesPerBatch) at a time"
        case .queueFull(let armed, let adding):
            "\(armed) rules are armed and \(adding) more would pass the queue's limit of \(RuleQueue.capacity); "
                + "disarm some first (DELETE /__admin/rules)"
        }
    }
}

extension MockBackend {
    /// The most actions one batch (one `POST /__admin/rules`) may carry.
    public static let maxRulesPerBatch = 1_000

    /// Applies `actions` in one transaction, the armed queue read and written once, so
    /// that arming N rules costs N. Refused whole (nothing applied) when there are more
    /// than `maxRulesPerBatch` or the queue would pass `RuleQueue.capacity`.
    public func apply(backend actions: [Action], nowMillis: Int64) throws -> [String] {
        guard actions.count <= Self.maxRulesPerBatch else { throw BackendBatchRefusal.tooManyRules(actions.count) }
        let adding = actions.count { action in
            if case .arm(let spec) = action { return !spec.kind.isImmediate }
            return false
        }
        return try batchingRules {
            // Counted before anything is armed; a disarm in the same batch is not counted against it.
            guard rules.rules.count + adding <= RuleQueue.capacity else {
                throw BackendBatchRefusal.queueFull(armed: rules.rules.count, adding: adding)
            }
            return actions.compactMap { apply(backend: $0, nowMillis: nowMillis) }
        }
    }
}

extension MockBackend {
    /// Handles one call in one transaction, so its journal lines stay together
    /// even when another process (`serve`) writes to the same database.
    func handleAtomically(_ method: RPCMethod, _ bytes: Data, nowMillis: Int64) -> BackendDelivery {
        var delivery: BackendDelivery?
        _ = try? store.transaction { delivery = handle(method, bytes, nowMillis: nowMillis) }
        return delivery ?? handle(method, bytes, nowMillis: nowMillis)
    }
}
