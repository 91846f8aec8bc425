import CheckoutProto
import SwiftProtobuf

// A hand-written proto3 JSON encoder for the messages of proto/checkout/v1/checkout.proto.
// Its output is byte for byte what swift-protobuf's `jsonString()` writes with the default
// `JSONEncodingOptions` (the tests compare the two on random messages): fields in field-number
// order under their lowerCamelCase names, zero and empty values left out, int64 as a quoted
// decimal, int32 bare, enums by name (an unrecognized value as its bare number), unknown fields
// ignored. A field added to the proto must be added here too (a test fails until it is).

extension ProtoJSON {
    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_ValidateOrderItemsInsertRequest) -> String {
        ProtoJSONWriter.encode(message, items: message.items.count)
    }

    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_ValidateOrderItemsInsertResponse) -> String {
        ProtoJSONWriter.encode(message, items: message.items.count)
    }

    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_ConfirmPaymentRequest) -> String { ProtoJSONWriter.encode(message) }

    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_ConfirmPaymentResponse) -> String { ProtoJSONWriter.encode(message) }

    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_CompleteRedirectRequest) -> String { ProtoJSONWriter.encode(message) }

    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_CompleteRedirectResponse) -> String { ProtoJSONWriter.encode(message) }

    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_OrderItem) -> String { ProtoJSONWriter.encode(message) }

    /// `message` as compact proto3 JSON, without swift-protobuf's reflective encoder.
    public static func string(_ message: Checkout_V1_ValidatedItem) -> String { ProtoJSONWriter.encode(message) }
}

/// A message the writer knows field by field.
protocol ProtoJSONFields {
    /// Writes the fields that are not at their default value, in field-number order.
    func writeFields(to json: inout ProtoJSONWriter)
}

/// An enum whose JSON names (its proto value names) the writer knows.
protocol ProtoJSONEnum: SwiftProtobuf.Enum {
    /// The proto value names, indexed by raw value (every value from 0 up is declared).
    static var jsonNames: [StaticString] { get }
}

/// Builds one JSON object in a byte buffer.
struct ProtoJSONWriter {
    private var bytes: [UInt8] = []
    private var needsComma = false

    /// `message` as a JSON object; `items` sizes the buffer for a repeated field.
    static func encode(_ message: some ProtoJSONFields, items: Int = 0) -> String {
        var json = ProtoJSONWriter()
        json.bytes.reserveCapacity(256 + 128 * items)
        json.object(message)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// A string field, unless empty.
    mutating func field(_ name: StaticString, _ value: String) {
        guard !value.isEmpty else { return }
        key(name)
        appendQuoted(value)
    }

    /// An int32 field as a bare number, unless zero.
    mutating func field(_ name: StaticString, _ value: Int32) {
        guard value != 0 else { return }
        key(name)
        appendDecimal(Int64(value))
    }

    /// An int64 field as a quoted decimal string, unless zero.
    mutating func field(_ name: StaticString, _ value: Int64) {
        guard value != 0 else { return }
        key(name)
        bytes.append(UInt8(ascii: "\""))
        appendDecimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

    /// An enum field by the name of its raw value (a raw value without one as a bare number), unless
    /// the default; enums compare by raw value, so `.UNRECOGNIZED(0)` counts as the default too.
    mutating func field<E: ProtoJSONEnum>(_ name: StaticString, _ value: E) {
        guard value != E() else { return }
        key(name)
        let raw = value.rawValue
        if E.jsonNames.indices.contains(raw) {
            bytes.append(UInt8(ascii: "\""))
            append(E.jsonNames[raw])
            bytes.append(UInt8(ascii: "\""))
        } else {
            appendDecimal(Int64(raw))
        }
    }

    /// A repeated message field as an array of objects, unless empty.
    mutating func field(_ name: StaticString, _ values: [some ProtoJSONFields]) {
        guard !values.isEmpty else { return }
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            object(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func object(_ message: some ProtoJSONFields) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        message.writeFields(to: &self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// `"name":`, after a comma when a field came before.
    private mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        append(name)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = true
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// The decimal digits of `value`, with a leading `-` when negative.
    private mutating func appendDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var low = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude != 0
        var high = bytes.count - 1  // the digits went in last first: turn them around
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    /// `value` in quotes, escaped as swift-protobuf escapes it: `\"`, `\\`, `\b \t \n \f \r`,
    /// and `\u00XX` (upper-case hex) for the other C0 controls, DEL and the C1 controls
    /// U+0080–U+009F. Everything else (U+2028, U+2029, all other non-ASCII) is copied as UTF-8.
    private mutating func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { appendEscaped($0) }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            // Runs of bytes copied as they are: the quick path.
            if byte >= 0x20, byte != 0x22, byte != 0x5C, byte != 0x7F, byte != 0xC2 {
                index += 1
                continue
            }
            // 0xC2 leads U+0080–U+00BF; only U+0080–U+009F are escaped. Strings are valid
            // UTF-8, so a continuation byte follows.
            if byte == 0xC2, utf8[index + 1] >= 0xA0 {
                index += 2
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            if byte == 0xC2 {
                appendUnicodeEscape(utf8[index + 1])
                index += 2
            } else {
                appendEscape(byte)
                index += 1
            }
            runStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case 0x08: append("\\b")
        case 0x09: append("\\t")
        case 0x0A: append("\\n")
        case 0x0C: append("\\f")
        case 0x0D: append("\\r")
        case 0x22: append("\\\"")
        case 0x5C: append("\\\\")
        default: appendUnicodeEscape(byte)
        }
    }

    /// `\u00XX` for the code point `value` (below U+0100).
    private mutating func appendUnicodeEscape(_ value: UInt8) {
        append("\\u00")
        bytes.append(Self.hexDigit(value >> 4))
        bytes.append(Self.hexDigit(value & 0x0F))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}

// MARK: - The messages, field by field in field-number order

extension Checkout_V1_PaymentMethod: ProtoJSONEnum {
    static let jsonNames: [StaticString] = [
        "PAYMENT_METHOD_UNSPECIFIED", "CARD", "CARD_TEST", "CASH_ON_DELIVERY", "BANK_TRANSFER",
    ]
}

extension Checkout_V1_PaymentIntentStatus: ProtoJSONEnum {
    static let jsonNames: [StaticString] = [
        "PAYMENT_INTENT_STATUS_UNSPECIFIED", "REQUIRES_PAYMENT_METHOD", "REQUIRES_ACTION", "PROCESSING",
        "SUCCEEDED", "CANCELED",
    ]
}

extension Checkout_V1_OrderItem: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("sku", sku)
        json.field("quantity", quantity)
    }
}

extension Checkout_V1_ValidatedItem: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("sku", sku)
        json.field("name", name)
        json.field("quantity", quantity)
        json.field("unitPriceCents", unitPriceCents)
        json.field("lineTotalCents", lineTotalCents)
    }
}

extension Checkout_V1_ValidateOrderItemsInsertRequest: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("items", items)
        json.field("paymentMethod", paymentMethod)
        json.field("email", email)
        json.field("customerName", customerName)
        json.field("currency", currency)
        json.field("locale", locale)
        json.field("idempotencyKey", idempotencyKey)
    }
}

extension Checkout_V1_ValidateOrderItemsInsertResponse: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("items", items)
        json.field("subtotalCents", subtotalCents)
        json.field("shippingCents", shippingCents)
        json.field("totalCents", totalCents)
        json.field("currency", currency)
        json.field("paymentMethod", paymentMethod)
        json.field("paymentIntentId", paymentIntentID)
        json.field("clientSecret", clientSecret)
        json.field("idempotencyKey", idempotencyKey)
    }
}

extension Checkout_V1_ConfirmPaymentRequest: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("paymentIntentId", paymentIntentID)
        json.field("clientSecret", clientSecret)
        json.field("cardNumber", cardNumber)
        json.field("returnUrl", returnURL)
    }
}

extension Checkout_V1_ConfirmPaymentResponse: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("paymentIntentId", paymentIntentID)
        json.field("status", status)
        json.field("declineCode", declineCode)
        json.field("message", message)
        json.field("redirectUrl", redirectURL)
    }
}

extension Checkout_V1_CompleteRedirectRequest: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("paymentIntentId", paymentIntentID)
        json.field("redirectStatus", redirectStatus)
    }
}

extension Checkout_V1_CompleteRedirectResponse: ProtoJSONFields {
    func writeFields(to json: inout ProtoJSONWriter) {
        json.field("paymentIntentId", paymentIntentID)
        json.field("status", status)
        json.field("redirectStatus", redirectStatus)
    }
}
