/// JSON text by hand, for what is written on every request (Foundation's
/// `JSONEncoder` costs more than the rest of the line).
struct JSONText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 128) { bytes.reserveCapacity(capacity) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends `raw` as it is (punctuation, keys, numbers).
    mutating func append(raw: String) { bytes.append(contentsOf: raw.utf8) }

    /// Appends `value` as a JSON string, escaped as `JSONEncoder` with
    /// `.withoutEscapingSlashes` escapes it: `"` and `\`, control characters as
    /// `\b \t \n \f \r` or `\u00xx`; everything else as it is.
    mutating func append(string value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most values (addresses, paths, user agents) need no escape: copied whole.
        let copied = value.utf8.withContiguousStorageIfAvailable { chars -> Bool in
            guard !chars.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: chars)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "b"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "f"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
