/// The one sanitising boundary for text we did not write: backend messages,
/// stored keys, narration, file names. Control characters (C0, C1, DEL), the
/// escape sequences they start, invisible and bidirectional format characters,
/// and noncharacters are shown as visible escapes (`\e`, `\u{202E}`, `\u{200B}`)
/// and never reach a terminal or a report, so two different texts never look alike.
public enum UntrustedText {
    /// `text` with every unsafe character made visible,
    /// cut to `limit` characters (with `…`) when a limit is given.
    public static func escaped(_ text: String, limit: Int? = nil) -> String {
        // The common cases, with nothing to do: printable ASCII within the limit (checked
        // byte by byte, since every request's log line passes here), or no limit and no unsafe scalar.
        if text.utf8.count <= limit ?? Int.max, isPrintableASCII(text) { return text }
        if limit == nil, !text.unicodeScalars.contains(where: isUnsafe) { return text }
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if let limit, count >= limit {
                out += "…"
                break
            }
            let piece = escape(scalar)
            out += piece
            count += 1
        }
        return out
    }

    /// Whether every byte of `text` is printable ASCII (read from its UTF-8 in place,
    /// rather than through the UTF-8 view's iterator).
    static func isPrintableASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte >= 0x7F { return false }
            return true
        }
    }

    /// Whether `scalar` must not be shown as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x7F { return v < 0x20 }  // ASCII: only C0 controls; keeps the common case cheap
        if v <= 0x9F { return true }  // DEL and C1 controls
        if v < 0xAD { return false }
        return isInvisible(scalar) || isNoncharacter(v)
    }

    /// Format characters (zero-width spaces and joiners, bidi embeddings, overrides and
    /// isolates, U+FEFF, tag characters, soft hyphen), line and paragraph separators,
    /// and the Hangul fillers that render as blank.
    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2028, 0x2029, 0x115F, 0x1160, 0x3164, 0xFFA0: return true
        default: return scalar.properties.generalCategory == .format
        }
    }

    /// U+FDD0–U+FDEF and the last two code points of every plane (U+FFFE, U+1FFFF, …).
    private static func isNoncharacter(_ v: UInt32) -> Bool {
        (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        guard isUnsafe(scalar) else { return String(scalar) }
        switch scalar {
        case "\u{1B}": return "\\e"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default: return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }
}
