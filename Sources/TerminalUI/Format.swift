import Foundation

/// Small formatting helpers for the screen.
enum Format {
    /// `€18.50`.
    static func money(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let value = cents.magnitude
        return "\(sign)€\(value / 100).\(twoDigits(value % 100))"
    }

    /// `7` as `07`; cheaper than `String(format:)`, which goes through Foundation's locale machinery on every call.
    private static func twoDigits<T: BinaryInteger>(_ value: T) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// `14:02:11` (UTC), from milliseconds since 1970.
    static func time(_ millis: Int64) -> String {
        let seconds = (millis / 1000) % 86_400
        return "\(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60))"
    }

    /// The first 8 characters of a key and an ellipsis, or `none`.
    static func shortKey(_ key: String?) -> String {
        guard let key else { return "none" }
        return key.count <= 9 ? key : String(key.prefix(8)) + "…"
    }

    /// Splits `text` into lines of at most `width` columns (wide characters take two),
    /// at spaces when possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", lineColumns = 0
            let firstLine = lines.count
            for piece in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var word = Substring(piece)
                while columns(word) > width {
                    if !line.isEmpty { lines.append(line); line = ""; lineColumns = 0 }
                    let head = prefix(word, columns: width)
                    lines.append(String(head))
                    word = word.dropFirst(head.count)
                }
                if word.isEmpty, !piece.isEmpty { continue }  // all of it went on lines of its own
                let wordColumns = columns(word)
                if line.isEmpty {
                    line = String(word)
                    lineColumns = wordColumns
                } else if lineColumns + 1 + wordColumns <= width {
                    line += " " + word
                    lineColumns += 1 + wordColumns
                } else {
                    lines.append(line)
                    line = String(word)
                    lineColumns = wordColumns
                }
            }
            if !line.isEmpty || lines.count == firstLine { lines.append(line) }  // an empty paragraph stays a blank line
        }
        return lines
    }

    private static func columns(_ text: Substring) -> Int {
        text.reduce(0) { $0 + Grid.columns(of: $1) }
    }

    /// The longest start of `text` that fits `columns`, and at least one character.
    private static func prefix(_ text: Substring, columns limit: Int) -> Substring {
        var used = 0
        var end = text.startIndex
        while end < text.endIndex {
            let next = used + Grid.columns(of: text[end])
            if next > limit, end > text.startIndex { break }
            used = next
            end = text.index(after: end)
        }
        return text[..<end]
    }
}
