/// The one sanitising boundary for text we did not write: backend messages,
/// stored keys, narration, file names. Control characters (C0, C1, DEL), the
/// escape sequences they start, and bidirectional overrides are shown as
/// visible escapes (`\e`, `\u{202E}`) and never reach a terminal or a report.
public enum UntrustedText {
    /// `text` with every control and bidi-override character made visible,
    /// cut to `limit` characters (with `…`) when a limit is given.
    public static func escaped(_ text: String, limit: Int? = nil) -> String {
        if limit == nil, !text.unicodeScalars.contains(where: isUnsafe) { return text }  // the common case: nothing to do
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

    /// Whether `scalar` must not be shown as it is.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v)
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C
            || (0xFFF9...0xFFFB).contains(v) || v == 0xFEFF
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
