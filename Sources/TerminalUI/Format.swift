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

    /// Splits `text` into lines of at most `width` characters, at spaces when possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var word = Substring(word)
                while word.count > width {
                    if !line.isEmpty { lines.append(line); line = "" }
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= width { line += " " + word } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
        }
        return lines
    }
}
