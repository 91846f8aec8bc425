import CheckoutCore
import CheckoutProto
import Foundation
import MockBackend
import SwiftProtobuf
import Testing

/// ProtoJSON's hand-written encoder writes exactly what swift-protobuf's `jsonString()` writes.
@Suite struct ProtoJSONEncodingTests {
    // MARK: - Random messages (a few thousand of each type, seeded)

    @Test func orderItemsMatchSwiftProtobuf() { expectSameJSON(seed: 1, ProtoJSON.string) { $0.orderItem() } }

    @Test func validatedItemsMatchSwiftProtobuf() { expectSameJSON(seed: 2, ProtoJSON.string) { $0.validatedItem() } }

    @Test func validateRequestsMatchSwiftProtobuf() { expectSameJSON(seed: 3, ProtoJSON.string) { $0.validateRequest() } }

    @Test func validateResponsesMatchSwiftProtobuf() { expectSameJSON(seed: 4, ProtoJSON.string) { $0.validateResponse() } }

    @Test func confirmRequestsMatchSwiftProtobuf() { expectSameJSON(seed: 5, ProtoJSON.string) { $0.confirmRequest() } }

    @Test func confirmResponsesMatchSwiftProtobuf() { expectSameJSON(seed: 6, ProtoJSON.string) { $0.confirmResponse() } }

    @Test func completeRedirectRequestsMatchSwiftProtobuf() {
        expectSameJSON(seed: 7, ProtoJSON.string) { $0.completeRedirectRequest() }
    }

    @Test func completeRedirectResponsesMatchSwiftProtobuf() {
        expectSameJSON(seed: 8, ProtoJSON.string) { $0.completeRedirectResponse() }
    }

    // MARK: - Edge cases, spelled out

    @Test func everyEscapedCharacterMatchesSwiftProtobuf() throws {
        var message = Checkout_V1_CompleteRedirectRequest()
        message.paymentIntentID = RandomMessages.pieces.joined()
        message.redirectStatus = "\u{2028}\u{2029}\u{7F}\u{80}\u{9F}\u{A0}\"\\/"
        #expect(ProtoJSON.string(message) == (try message.jsonString()))
        #expect(ProtoJSON.string(message).hasSuffix("\"redirectStatus\":\"\u{2028}\u{2029}\\u007F\\u0080\\u009F\u{A0}\\\"\\\\/\"}"))
    }

    @Test func unrecognizedEnumValuesMatchSwiftProtobuf() throws {
        for raw in [-1, 0, 1, 4, 5, 6, 99, Int(Int32.max), Int(Int32.min), Int.max, Int.min] {
            var request = Checkout_V1_ValidateOrderItemsInsertRequest()
            request.paymentMethod = .UNRECOGNIZED(raw)
            var response = Checkout_V1_ConfirmPaymentResponse()
            response.status = .UNRECOGNIZED(raw)
            #expect(ProtoJSON.string(request) == (try request.jsonString()), "UNRECOGNIZED(\(raw))")
            #expect(ProtoJSON.string(response) == (try response.jsonString()), "UNRECOGNIZED(\(raw))")
        }
        // What swift-protobuf does: the raw value's name when it has one, else the bare number;
        // UNRECOGNIZED(0) equals the default (enums compare by raw value) and is left out.
        var response = Checkout_V1_CompleteRedirectResponse()
        response.status = .UNRECOGNIZED(7)
        #expect(ProtoJSON.string(response) == #"{"status":7}"#)
        response.status = .UNRECOGNIZED(4)
        #expect(ProtoJSON.string(response) == #"{"status":"SUCCEEDED"}"#)
        response.status = .UNRECOGNIZED(0)
        #expect(ProtoJSON.string(response) == "{}")
    }

    @Test func theGenericFallbackIsUnchanged() {
        var item = Checkout_V1_OrderItem()
        item.sku = "tee"
        item.quantity = -2
        func viaGeneric<M: SwiftProtobuf.Message>(_ message: M) -> String { ProtoJSON.string(message) }
        #expect(viaGeneric(item) == #"{"sku":"tee","quantity":-2}"#)
        #expect(ProtoJSON.string(item) == #"{"sku":"tee","quantity":-2}"#)
    }

    // MARK: - A field added to the proto

    @Test func everyFieldOfEveryMessageIsWritten() {
        expectEveryFieldWritten(Checkout_V1_OrderItem.self, ProtoJSON.string)
        expectEveryFieldWritten(Checkout_V1_ValidatedItem.self, ProtoJSON.string)
        expectEveryFieldWritten(Checkout_V1_ValidateOrderItemsInsertRequest.self, ProtoJSON.string)
        expectEveryFieldWritten(Checkout_V1_ValidateOrderItemsInsertResponse.self, ProtoJSON.string)
        expectEveryFieldWritten(Checkout_V1_ConfirmPaymentRequest.self, ProtoJSON.string)
        expectEveryFieldWritten(Checkout_V1_ConfirmPaymentResponse.self, ProtoJSON.string)
        expectEveryFieldWritten(Checkout_V1_CompleteRedirectRequest.self, ProtoJSON.string)
        expectEveryFieldWritten(Checkout_V1_CompleteRedirectResponse.self, ProtoJSON.string)
    }

    @Test func everyEnumValueIsWrittenByName() throws {
        for method in Checkout_V1_PaymentMethod.allCases {
            var message = Checkout_V1_ValidateOrderItemsInsertResponse()
            message.paymentMethod = method
            #expect(ProtoJSON.string(message) == (try message.jsonString()),
                    "PaymentMethod \(method): a value added to checkout.proto must be added to ProtoJSONEncoding.swift")
        }
        for status in Checkout_V1_PaymentIntentStatus.allCases {
            var message = Checkout_V1_CompleteRedirectResponse()
            message.status = status
            #expect(ProtoJSON.string(message) == (try message.jsonString()),
                    "PaymentIntentStatus \(status): a value added to checkout.proto must be added to ProtoJSONEncoding.swift")
        }
    }
}

// MARK: - Comparing with swift-protobuf

/// `count` messages from `make`, each encoded by `fast` and by swift-protobuf; stops after a few mismatches.
private func expectSameJSON<M: SwiftProtobuf.Message>(seed: UInt64, count: Int = 3000, _ fast: (M) -> String,
                                                      _ make: (inout RandomMessages) -> M,
                                                      sourceLocation: SourceLocation = #_sourceLocation) {
    var random = RandomMessages(seed: seed)
    var mismatches = 0
    for _ in 0..<count {
        let message = make(&random)
        let expected = (try? message.jsonString()) ?? "<swift-protobuf threw>"
        let actual = fast(message)
        guard actual != expected else { continue }
        Issue.record("""
            \(M.protoMessageName) encodes differently:
            message: \(message.debugDescription)
            ProtoJSON:      \(actual.debugDescription)
            swift-protobuf: \(expected.debugDescription)
            """, sourceLocation: sourceLocation)
        mismatches += 1
        if mismatches == 5 { return }
    }
}

/// Sets every field swift-protobuf declares for `M` (one at a time, then all together) and
/// compares the outputs, so a field added to checkout.proto fails here until the encoder writes it.
private func expectEveryFieldWritten<M: SwiftProtobuf.Message & SwiftProtobuf._ProtoNameProviding>(
    _ type: M.Type, _ fast: (M) -> String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let update = "update ProtoJSONEncoding.swift for the field added to checkout.proto"
    guard let numbers = FieldProbe.declaredFieldNumbers(M.self), !numbers.isEmpty else {
        Issue.record("could not read the field numbers of \(M.protoMessageName) from swift-protobuf's _protobuf_nameMap",
                     sourceLocation: sourceLocation)
        return
    }
    var everyField: [UInt8] = []
    for number in numbers {
        guard let probe = FieldProbe.setting(number, of: M.self) else {
            Issue.record("field \(number) of \(M.protoMessageName) could not be set by any probe", sourceLocation: sourceLocation)
            continue
        }
        everyField += probe.bytes
        let expected = (try? probe.message.jsonString()) ?? "<swift-protobuf threw>"
        #expect(fast(probe.message) == expected, "\(M.protoMessageName) field \(number): \(update)", sourceLocation: sourceLocation)
    }
    guard let message = try? M(serializedBytes: everyField) else {
        Issue.record("\(M.protoMessageName) with every field set does not decode", sourceLocation: sourceLocation)
        return
    }
    let expected = (try? message.jsonString()) ?? "<swift-protobuf threw>"
    let actual = fast(message)
    #expect(actual == expected, "\(M.protoMessageName) with every field set: \(update)", sourceLocation: sourceLocation)
    let written = (try? JSONSerialization.jsonObject(with: Data(actual.utf8)) as? [String: Any])?.count ?? -1
    #expect(written == numbers.count,
            "\(M.protoMessageName) has \(numbers.count) fields in swift-protobuf; the encoder writes \(written): \(update)",
            sourceLocation: sourceLocation)
}

/// Sets one field of a message by decoding a protobuf field with that number, whatever its type.
enum FieldProbe {
    /// The field numbers in swift-protobuf's name map for `M` (read by reflection: the map has no public API).
    static func declaredFieldNumbers<M: SwiftProtobuf._ProtoNameProviding>(_: M.Type) -> [Int]? {
        let map = Mirror(reflecting: M._protobuf_nameMap).descendant("numberToNameMap")
        return (map as? [Int: Any]).map { $0.keys.sorted() }
    }

    /// `M` with field `number` set to a non-default value, and the protobuf bytes that set it:
    /// a varint 1 (integers, enums, bools), a length-delimited "A" (strings, bytes), an empty
    /// length-delimited value (one default element of a message field), or a fixed 1.0.
    static func setting<M: SwiftProtobuf.Message>(_ number: Int, of _: M.Type) -> (message: M, bytes: [UInt8])? {
        let payloads: [(wireType: UInt64, bytes: [UInt8])] = [
            (0, [0x01]), (2, [0x01, 0x41]), (2, [0x00]),
            (1, [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]), (5, [0, 0, 0x80, 0x3F]),
        ]
        for payload in payloads {
            let bytes = varint(UInt64(number) << 3 | payload.wireType) + payload.bytes
            if let message = try? M(serializedBytes: bytes), message.unknownFields.data.isEmpty, !message.isEqualTo(message: M()) {
                return (message, bytes)
            }
        }
        return nil
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        return bytes
    }
}

// MARK: - Random messages

/// Seeded random field values, weighted towards the ones that are hard to encode.
struct RandomMessages {
    /// Pieces a random string is made of: ASCII, JSON's specials, every C0 control, DEL, the C1
    /// controls, U+2028/U+2029, U+FEFF, emoji, combining marks, CJK, characters beyond the BMP.
    static let pieces: [String] = {
        var pieces = ["a", "Checkout", "key-42", " ", "\"", "\\", "/", "'", "<>&", "\u{7F}", "\u{A0}", "\u{BF}", "\u{C0}",
                      "é", "Zürich", "\u{2028}", "\u{2029}", "\u{FEFF}", "😀", "👩‍👩‍👧", "e\u{301}", "\u{301}", "\u{20DD}",
                      "漢字", "𝄞", "\u{10FFFF}", "\u{E000}", "\u{FFFD}", "\u{7FF}", "\u{800}", "\u{FFFF}", "\u{10000}"]
        pieces += (0x00...0x1F).map { String(Unicode.Scalar(UInt8($0))) }
        pieces += (0x80...0x9F).map { String(Unicode.Scalar(UInt8($0))) }
        return pieces
    }()

    static let int32s: [Int32] = [0, 1, -1, 9, 10, -10, 1999, Int32.max, Int32.min, Int32.max - 1, Int32.min + 1]
    static let int64s: [Int64] = [0, 1, -1, 9, 10, -10, 4999, Int64(Int32.max) + 1, Int64(Int32.min) - 1,
                                  Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
    static let unrecognized = [-1, 0, 1, 5, 6, 7, 42, Int(Int32.max), Int(Int32.min), Int.max, Int.min]

    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    private mutating func below(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }

    /// Empty a sixth of the time, else one to five pieces.
    mutating func string() -> String {
        let count = below(6)
        return (0..<count).map { _ in Self.pieces[below(Self.pieces.count)] }.joined()
    }

    mutating func int32() -> Int32 {
        below(3) == 0 ? Int32(truncatingIfNeeded: generator.next()) : Self.int32s[below(Self.int32s.count)]
    }

    mutating func int64() -> Int64 {
        below(3) == 0 ? Int64(bitPattern: generator.next()) : Self.int64s[below(Self.int64s.count)]
    }

    /// A declared value, or a quarter of the time `UNRECOGNIZED` (some with a declared raw value).
    mutating func enumValue<E: SwiftProtobuf.Enum & CaseIterable>() -> E where E.AllCases == [E] {
        guard below(4) == 0 else { return E.allCases[below(E.allCases.count)] }
        let raw = Self.unrecognized[below(Self.unrecognized.count)]
        if below(2) == 0, let unrecognized: E = Self.unrecognizedCase(raw) { return unrecognized }
        return E(rawValue: raw)!  // proto3: a declared raw value gives its case, any other UNRECOGNIZED
    }

    /// `.UNRECOGNIZED(raw)` even for a declared raw value (as a caller can build it).
    private static func unrecognizedCase<E: SwiftProtobuf.Enum>(_ raw: Int) -> E? {
        switch E.self {
        case is Checkout_V1_PaymentMethod.Type: Checkout_V1_PaymentMethod.UNRECOGNIZED(raw) as? E
        case is Checkout_V1_PaymentIntentStatus.Type: Checkout_V1_PaymentIntentStatus.UNRECOGNIZED(raw) as? E
        default: nil
        }
    }

    /// A new message, carrying unknown fields (which JSON leaves out) a quarter of the time.
    mutating func withUnknownFields<M: SwiftProtobuf.Message>(_: M.Type) -> M {
        guard below(4) == 0 else { return M() }
        // Field 1000, a varint, and field 1001, a length-delimited "xy".
        return try! M(serializedBytes: FieldProbe.varint(1000 << 3) + [0x05] + FieldProbe.varint(1001 << 3 | 2) + [2, 0x78, 0x79])
    }

    mutating func orderItem() -> Checkout_V1_OrderItem {
        var item = withUnknownFields(Checkout_V1_OrderItem.self)
        item.sku = string()
        item.quantity = int32()
        return item
    }

    /// None a fifth of the time, else one to four.
    mutating func orderItems() -> [Checkout_V1_OrderItem] {
        (0..<below(5)).map { _ in orderItem() }
    }

    /// None a fifth of the time, else one to four.
    mutating func validatedItems() -> [Checkout_V1_ValidatedItem] {
        (0..<below(5)).map { _ in validatedItem() }
    }

    mutating func validatedItem() -> Checkout_V1_ValidatedItem {
        var item = withUnknownFields(Checkout_V1_ValidatedItem.self)
        item.sku = string()
        item.name = string()
        item.quantity = int32()
        item.unitPriceCents = int64()
        item.lineTotalCents = int64()
        return item
    }

    mutating func validateRequest() -> Checkout_V1_ValidateOrderItemsInsertRequest {
        var message = withUnknownFields(Checkout_V1_ValidateOrderItemsInsertRequest.self)
        message.items = orderItems()
        message.paymentMethod = enumValue()
        message.email = string()
        message.customerName = string()
        message.currency = string()
        message.locale = string()
        message.idempotencyKey = string()
        return message
    }

    mutating func validateResponse() -> Checkout_V1_ValidateOrderItemsInsertResponse {
        var message = withUnknownFields(Checkout_V1_ValidateOrderItemsInsertResponse.self)
        message.items = validatedItems()
        message.subtotalCents = int64()
        message.shippingCents = int64()
        message.totalCents = int64()
        message.currency = string()
        message.paymentMethod = enumValue()
        message.paymentIntentID = string()
        message.clientSecret = string()
        message.idempotencyKey = string()
        return message
    }

    mutating func confirmRequest() -> Checkout_V1_ConfirmPaymentRequest {
        var message = withUnknownFields(Checkout_V1_ConfirmPaymentRequest.self)
        message.paymentIntentID = string()
        message.clientSecret = string()
        message.cardNumber = string()
        message.returnURL = string()
        return message
    }

    mutating func confirmResponse() -> Checkout_V1_ConfirmPaymentResponse {
        var message = withUnknownFields(Checkout_V1_ConfirmPaymentResponse.self)
        message.paymentIntentID = string()
        message.status = enumValue()
        message.declineCode = string()
        message.message = string()
        message.redirectURL = string()
        return message
    }

    mutating func completeRedirectRequest() -> Checkout_V1_CompleteRedirectRequest {
        var message = withUnknownFields(Checkout_V1_CompleteRedirectRequest.self)
        message.paymentIntentID = string()
        message.redirectStatus = string()
        return message
    }

    mutating func completeRedirectResponse() -> Checkout_V1_CompleteRedirectResponse {
        var message = withUnknownFields(Checkout_V1_CompleteRedirectResponse.self)
        message.paymentIntentID = string()
        message.status = enumValue()
        message.redirectStatus = string()
        return message
    }
}

