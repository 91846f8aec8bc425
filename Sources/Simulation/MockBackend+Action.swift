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

extension MockBackend {
    /// Handles one call in one transaction, so its journal lines stay together
    /// even when another process (`serve`) writes to the same database.
    func handleAtomically(_ method: RPCMethod, _ bytes: Data, nowMillis: Int64) -> BackendDelivery {
        var delivery: BackendDelivery?
        _ = try? store.transaction { delivery = handle(method, bytes, nowMillis: nowMillis) }
        return delivery ?? handle(method, bytes, nowMillis: nowMillis)
    }
}
