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

    /// `10s` or `1500ms`; plain integer arithmetic, as `Duration`'s description costs a
    /// third of a million instructions on the first frame.
    static func duration(_ millis: Int64) -> String {
        millis % 1000 == 0 ? "\(millis / 1000)s" : "\(millis)ms"
    }

    /// `14:02:11` (UTC), from milliseconds since 1970.
    static func time(_ millis: Int64) -> String {
        let seconds = (millis / 1000) % 86_400
        return "\(twoDigits(seconds / 3600)):\(twoDigits(seconds / 60 % 60)):\(twoDigits(seconds % 60))"
    }

    /// `1.2 s`, from milliseconds (tenths, rounded down).
    static func seconds(_ millis: Int64) -> String {
        "\(millis / 1000).\(millis % 1000 / 100) s"
    }

    /// The first 8 characters of a key and an ellipsis, or `none`.
    static func shortKey(_ key: String?) -> String {
        guard let key else { return "none" }
        return key.prefix(10).count <= 9 ? key : String(key.prefix(8)) + "…"  // never counts a whole long key
    }

    /// A PaymentIntent id without its random tail: `pi_000002_616750` as `pi_000002`.
    static func shortIntentID(_ id: String) -> String {
        guard id.hasPrefix("pi_"), let end = id.dropFirst(3).firstIndex(of: "_") else { return shortKey(id) }
        return String(id[..<end])
    }

    /// A PaymentIntent status in fewer columns: `requires_payment_method` as `req_payment_method`.
    static func shortIntentStatus(_ status: String) -> String {
        status.hasPrefix("requires_") ? "req_" + status.dropFirst("requires_".count) : status
    }

    /// Splits `text` into lines of at most `width` columns (wide characters take two),
    /// at spaces when possible. One pass over the text: a 10 MB key wraps in linear time.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", lineColumns = 0
            let firstLine = lines.count
            for piece in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                // A word wider than a line is cut into line-wide chunks (at least one character each).
                var word = "", wordColumns = 0
                for character in piece {
                    let w = Grid.columns(of: character)
                    if wordColumns + w > width, !word.isEmpty {
                        if !line.isEmpty { lines.append(line); line = ""; lineColumns = 0 }
                        lines.append(word)
                        word = ""
                        wordColumns = 0
                    }
                    word.append(character)
                    wordColumns += w
                }
                if line.isEmpty {
                    line = word
                    lineColumns = wordColumns
                } else if lineColumns + 1 + wordColumns <= width {
                    line += " " + word
                    lineColumns += 1 + wordColumns
                } else {
                    lines.append(line)
                    line = word
                    lineColumns = wordColumns
                }
            }
            if !line.isEmpty || lines.count == firstLine { lines.append(line) }  // an empty paragraph stays a blank line
        }
        return lines
    }
}
