import CheckoutCore
import MockBackend
import Simulation

/// Everything the screen shows, as one value. `AppModel.screen()` builds it
/// once per frame (after the tick and the key); `View.render` draws only from
/// it, so rendering never reads the engine, the backend's database or a file.
public struct Screen {
    /// The header's text and whether recording is on.
    public struct Header {
        public var text: String
        /// Shorter forms of `text`, longest first: the view shows the first that fits.
        public var shorter: [String] = []
        public var recording: Bool
    }

    /// One cart line, priced from the catalog.
    public struct CartRow {
        public var qty: Int
        /// The product's name, or its SKU when the catalog does not know it.
        public var name: String
        public var known: Bool
        /// `nil`: the line total is out of range.
        public var totalCents: Int64?
    }

    public struct Cart {
        public var rows: [CartRow]
        /// The selected line, within the cart.
        public var selected: Int
        /// The sum of the lines; `nil` when it is out of range.
        public var subtotalCents: Int64?
        public var form: FormData
    }

    public struct Payment {
        public var method: PaymentMethod
        public var card: String
        public var status: PaymentStatus
        public var validation: (paymentIntentID: String, totalCents: Int64)?
        /// The PaymentIntent the bank page asks about.
        public var pendingRedirect: String?
    }

    /// What the bottom rows show: narration, toast, spinner and status line.
    public struct Messages {
        /// Presenter mode: the latest verdict (its step and failures; none: met), on its own row.
        public var verdict: (step: Int, failures: [String])?
        /// Whether the verdict is of the step just played (an older one is shown dim).
        public var verdictIsCurrent = false
        /// Presenter mode: the narration, shown whole (wrapped, scrolled with PgUp / PgDn).
        public var caption: String?
        public var captionScroll = 0
        /// Every caption of the demo: the caption area is as tall as the longest needs.
        public var narrations: [String] = []
        public var toast: Toast?
        public var inFlight: Int
        public var spinnerFrame: Int
        public var status: String?
        /// Every toast, notice and status line, for the message log.
        public var log: [LoggedMessage]
    }

    public var header: Header
    public var presenting: Bool
    public var focus: Panel
    public var cart: Cart
    public var payment: Payment
    public var storedKey: String?
    public var keyHistory: [KeyHistoryEntry]
    public var timeline: [TimelineEntry]
    /// Requests still waiting for their reply, shown after the timeline.
    public var inFlight: [PendingRequest] = []
    /// The engine's time now: how long the in-flight requests have waited.
    public var nowMillis: Int64 = 0
    /// The selected timeline row; `nil` follows the newest.
    public var timelineSelection: TimelineSelection?
    public var backend: BackendView
    public var messages: Messages
    /// The footer's keys and labels.
    public var footer: [(key: String, label: String)]
    public var overlay: OverlayState?
    /// `serve`'s real clients (in the timeline) and lint; `nil` when not serving.
    public var wire: WireState? = nil
}
