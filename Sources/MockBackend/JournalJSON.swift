import Foundation

/// The JSON of a journal line's typed event, as the `detail` column holds it: the keys
/// sorted, so that the same event is always the same text.
enum JournalJSON {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    private static let decoder = JSONDecoder()

    static func encode(_ value: some Encodable) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// `nil` when `text` is not the JSON of a `T` (the words of an older journal, say).
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) -> T? {
        guard let first = text.utf8.first, first == UInt8(ascii: "{") || first == UInt8(ascii: "\"") else { return nil }
        return try? decoder.decode(type, from: Data(text.utf8))
    }
}
