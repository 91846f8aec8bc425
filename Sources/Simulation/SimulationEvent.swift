import CheckoutCore
import MockBackend

/// What happened inside the engine, in the order it happened: what a sequence
/// diagram of a run is drawn from (`Simulation.eventObserver`). Only observed:
/// nothing here changes the world.
public enum SimulationEvent: Sendable {
    /// An action about to be applied, at its time.
    case action(Action, atMillis: Int64)
    /// A validation request left the page; the backend already processed it and
    /// wrote `backend` (the journal lines of this call: rules fired, sessions, PaymentIntents).
    case validationSent(exchangeID: Int, trigger: ValidationTrigger, keySent: String?, atMillis: Int64,
                        firedRules: [String], backend: [JournalEntry])
    /// The reply of a validation reached the page (or the client gave up on it).
    case validationAnswered(TimelineEntry)
    /// A payment call (`ConfirmPayment`, `CompleteRedirect`), answered at once.
    case paymentCall(RPCMethod, reply: TransportReply, atMillis: Int64, backend: [JournalEntry])
    /// What arming a rule did on the backend (immediate rules change sessions at once).
    case backendChanged([JournalEntry])
    /// The stored key changed.
    case keyChanged(KeyHistoryEntry)
    /// The page showed a toast.
    case toast(Toast, atMillis: Int64)
}
