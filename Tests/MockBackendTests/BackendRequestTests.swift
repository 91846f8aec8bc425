import CheckoutCore
import CheckoutProto
import Foundation
@testable import MockBackend
import Testing

/// A request is decoded once, by whoever reads it; the backend answers a decoded one
/// exactly as it answers its bytes.
struct BackendRequestTests {
    static let garbage = Data([0x0A, 0x7F, 0x01])

    /// Two bags of coffee beans, by card.
    static let beans = Checkout_V1_ValidateOrderItemsInsertRequest.with {
        $0.items = [.with { $0.sku = "BEANS-1KG"; $0.quantity = 2 }]
        $0.paymentMethod = .card
    }

    /// Two backends of the same seed, `rule` armed on each.
    static func twins(seed: UInt64, armed rule: RuleKind?) -> (BackendHarness, BackendHarness) {
        let pair = (BackendHarness(seed: seed), BackendHarness(seed: seed))
        for harness in [pair.0, pair.1] {
            if let rule { harness.backend.arm(rule, storedKey: nil, nowMillis: harness.now) }
        }
        return pair
    }

    @Test("bytes decode to the method's case; bytes that do not decode are malformed, of that method")
    func decoding() throws {
        var validation = Checkout_V1_ValidateOrderItemsInsertRequest()
        validation.idempotencyKey = "k1"
        let request = BackendRequest(.validateOrderItemsInsert, bytes: try validation.serializedData())
        #expect(request == .validation(validation))
        #expect(request.method == .validateOrderItemsInsert)
        for method in [RPCMethod.validateOrderItemsInsert, .confirmPayment, .completeRedirect] {
            let malformed = BackendRequest(method, bytes: Self.garbage)
            #expect(malformed == .malformed(method))
            #expect(malformed.method == method)
        }
    }

    @Test("a malformed payment or redirect is invalid_argument and journals nothing")
    func malformedPayments() throws {
        for method in [RPCMethod.confirmPayment, .completeRedirect] {
            let harness = BackendHarness()
            let before = try harness.backend.store.journalCount()
            let delivery = harness.backend.handle(method, Self.garbage, nowMillis: harness.now)
            guard case .failure(let status) = delivery.reply else {
                Issue.record("\(method): \(delivery.reply)")
                continue
            }
            #expect(status.code == .invalidArgument)
            #expect(try harness.backend.store.journalCount() == before)
        }
    }

    @Test("a malformed validation takes the armed rule first, then is invalid_argument")
    func malformedValidationTakesTheRule() throws {
        let harness = BackendHarness()
        harness.backend.arm(.rotate, storedKey: nil, nowMillis: harness.now)
        let delivery = harness.backend.handle(.malformed(.validateOrderItemsInsert), nowMillis: harness.now)
        guard case .failure(let status) = delivery.reply else {
            Issue.record("\(delivery.reply)")
            return
        }
        #expect(status.code == .invalidArgument)
        #expect(delivery.firedRules == ["rotate"])
        #expect(harness.backend.rules.rules.isEmpty)
    }

    @Test("the decoded request and its bytes get the same reply, rules and journal",
          arguments: [RuleKind?.none, .rotate, .paymentAlreadyCompleted])
    func decodedEqualsBytes(rule: RuleKind?) throws {
        let request = Self.beans
        let (viaBytes, decoded) = Self.twins(seed: 7, armed: rule)
        let one = viaBytes.backend.handle(.validateOrderItemsInsert, try request.serializedData(), nowMillis: viaBytes.now)
        let other = decoded.backend.handle(.validation(request), nowMillis: decoded.now)
        #expect(one == other)
        #expect(one.firedRules == (rule.map { [$0.label] } ?? []))
        #expect(try viaBytes.backend.store.journal(after: 0, limit: 100).map(\.detail)
            == decoded.backend.store.journal(after: 0, limit: 100).map(\.detail))
    }

    @Test("without a binary reply, an intact reply is its JSON alone; a reply a fault keeps is still encoded",
          arguments: [RuleKind?.none, .rotate, .latency(millis: 2_000), .dropResponse, .garbleResponse, .connectionReset, .paymentAlreadyCompleted])
    func jsonOnlyReply(rule: RuleKind?) throws {
        let request = Self.beans
        let (binary, json) = Self.twins(seed: 9, armed: rule)
        let full = binary.backend.handle(.validation(request), nowMillis: binary.now)
        let lean = json.backend.handle(.validation(request), nowMillis: json.now, options: MockBackend.CallOptions(binaryReply: false))
        #expect(lean.firedRules == full.firedRules && lean.wireFault == full.wireFault && lean.delayMillis == full.delayMillis)
        #expect(lean.intact == full.intact)
        #expect(try binary.backend.store.journal(after: 0, limit: 100).map(\.detail)
            == json.backend.store.journal(after: 0, limit: 100).map(\.detail))
        switch (full.reply, lean.reply) {
        case (.response(let bytes), .response(let leanBytes)) where full.wireFault == nil:
            let decoded = try Checkout_V1_ValidateOrderItemsInsertResponse(serializedBytes: bytes)
            #expect(leanBytes.isEmpty)
            #expect(lean.replyJSON == ProtoJSON.string(decoded))
        default:
            #expect(lean == full)
        }
    }
}
