import CheckoutCore
@testable import MockBackend

/// SplitMix64: a small seeded generator, so that a failing sample can be made again.
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generated journal details: one of every case, with random values.
enum JournalSamples {
    /// Awkward text: quotes, the arrow, control characters, JSON and sentence look-alikes.
    static let words = ["", "k1", "a \"quoted\" → key", "\u{1B}[31mred", "line\nbreak", "é漢字😀", "{", "fired latency 2s", "new session k (x)", "\\"]

    static func text(_ random: inout SplitMix) -> String {
        words.randomElement(using: &random)! + String(Int.random(in: 0...999, using: &random))
    }

    static func rule(_ random: inout SplitMix) -> RuleKind {
        let simple = RuleKind.table.filter { $0.argument == .none }.map(\.menuRule)
        let codes = RPCCode.allCases.filter { $0 != .ok }
        return (simple + [.latency(millis: Int64.random(in: 1...86_400_000, using: &random)),
                          .error(message: text(&random), code: codes.randomElement(using: &random)!)]).randomElement(using: &random)!
    }

    static func firing(_ random: inout SplitMix) -> RuleFiring {
        [.once, .times(Int.random(in: 2...9, using: &random)), .always, .probability(Double.random(in: 0...1, using: &random), times: nil),
         .probability(0.25, times: Int.random(in: 1...9, using: &random))].randomElement(using: &random)!
    }

    static func arrival(_ random: inout SplitMix) -> JournalArrival {
        JournalArrival(peer: text(&random), userAgent: text(&random), path: text(&random), wireProtocol: text(&random),
                       bytes: Int.random(in: 0...1 << 20, using: &random), client: Bool.random(using: &random) ? "" : text(&random),
                       newClient: Bool.random(using: &random), deadlineMillis: Bool.random(using: &random) ? nil : Int64.random(in: 0...60_000, using: &random))
    }

    static func all(_ random: inout SplitMix) -> [JournalDetail] {
        let method = RPCMethod.allCases.randomElement(using: &random)!
        let session = SessionStatus.allCases.randomElement(using: &random)!
        let intent = { (random: inout SplitMix) in IntentStatus.allCases.randomElement(using: &random)! }
        var armed = ArmedRule(id: Int.random(in: 1...99, using: &random), kind: rule(&random), firing: firing(&random))
        armed.remaining = Bool.random(using: &random) ? nil : Int.random(in: 0...5, using: &random)
        let cents = { (random: inout SplitMix) in Int64.random(in: 0...10_000_000, using: &random) }
        return [
            .arrival(method, arrival(&random)),
            .request(method, json: #"{"paymentIntentId":"\#(Int.random(in: 0...99, using: &random))"}"#),
            .response(method, json: #"{"status":"SUCCEEDED"}"#),
            .error(method, JournalError(code: RPCCode.allCases.randomElement(using: &random)!.name, message: text(&random))),
            .lost(method, WireLoss.allCases.randomElement(using: &random)!),
            .rule(.armed(rule: RuleSpec(rule(&random), firing(&random)))),
            .rule(.queueFull(capacity: Int.random(in: 1...1_000, using: &random))),
            .rule(.disarmed(rule: armed)),
            .rule(.fired(rule: rule(&random))),
            .rule(.expired(sessions: Int.random(in: 0...20, using: &random))),
            .rule(.failed(rule: Bool.random(using: &random) ? .expireSessions : .markPaid)),
            .rule(.nothingToPay),
            .rule(.notOpen(key: text(&random), status: session)),
            .rule(.paidElsewhere(key: text(&random))),
            .session(.created(key: text(&random), reason: NewSessionReason.allCases.randomElement(using: &random)!)),
            .session(.closed(key: text(&random), status: session)),
            .session(.restored(key: text(&random), status: session, intent: text(&random), intentStatus: intent(&random))),
            .intent(.created(id: text(&random), amountCents: cents(&random), currency: text(&random))),
            .intent(.amountChanged(id: text(&random), from: cents(&random), to: cents(&random))),
            .intent(.statusChanged(id: text(&random), from: intent(&random), to: intent(&random))),
            .intent(.declined(id: text(&random), code: text(&random))),
            .unread(JournalEntry.Kind.allCases.randomElement(using: &random)!, method: text(&random), text: "words no version wrote \(text(&random))"),
        ]
    }

    /// Every case of `JournalDetail` and of its events, by name (adding a case breaks `caseName` until a sample is added).
    static let everyCase: Set<String> = [
        "arrival", "request", "response", "error", "lost", "armed", "queueFull", "disarmed", "fired", "expired", "failed", "nothingToPay",
        "notOpen", "paidElsewhere", "created session", "closed", "restored", "created intent", "amountChanged", "statusChanged", "declined", "unread",
    ]

    static func caseName(_ detail: JournalDetail) -> String {
        switch detail {
        case .arrival: "arrival"
        case .request: "request"
        case .response: "response"
        case .error: "error"
        case .lost: "lost"
        case .unread: "unread"
        case .rule(let event):
            switch event {
            case .armed: "armed"
            case .queueFull: "queueFull"
            case .disarmed: "disarmed"
            case .fired: "fired"
            case .expired: "expired"
            case .failed: "failed"
            case .nothingToPay: "nothingToPay"
            case .notOpen: "notOpen"
            case .paidElsewhere: "paidElsewhere"
            }
        case .session(let event):
            switch event {
            case .created: "created session"
            case .closed: "closed"
            case .restored: "restored"
            }
        case .intent(let event):
            switch event {
            case .created: "created intent"
            case .amountChanged: "amountChanged"
            case .statusChanged: "statusChanged"
            case .declined: "declined"
            }
        }
    }
}
