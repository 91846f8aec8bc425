import CheckoutCore
import Testing

/// Text we did not write never reaches a terminal with anything invisible or controlling in it.
@Suite struct UntrustedTextTests {
    static let invisible: [Unicode.Scalar] = [
        "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{2061}", "\u{180E}", "\u{FEFF}", "\u{00AD}",  // zero-width
        "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{200E}", "\u{061C}",  // bidi
        "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{7F}", "\u{1B}", "\u{07}",  // C0, DEL, C1
        Unicode.Scalar(0xFDD0)!, Unicode.Scalar(0xFDEF)!, "\u{FFFE}", "\u{FFFF}", "\u{1FFFE}", "\u{10FFFF}",  // noncharacters
        "\u{2028}", "\u{2029}", "\u{E0041}", "\u{3164}",  // separators, tag letters, Hangul filler
    ]

    @Test(arguments: invisible)
    func invisibleCharactersAreShownEscaped(_ scalar: Unicode.Scalar) {
        let key = "ab" + String(scalar) + "cd"
        let shown = UntrustedText.escaped(key)
        #expect(shown != key)
        #expect(!shown.unicodeScalars.contains(where: UntrustedText.isUnsafe))
        #expect(shown.hasPrefix("ab\\") && shown.hasSuffix("cd"))
    }

    @Test func twoDifferentKeysNeverLookTheSame() {
        let plain = "4f0c2a1e-key"
        let shown = Set(Self.invisible.map { UntrustedText.escaped("4f0c" + String($0) + "2a1e-key") } + [UntrustedText.escaped(plain)])
        #expect(shown.count == Self.invisible.count + 1)
        #expect(UntrustedText.escaped("a\u{200B}b") == "a\\u{200B}b")
        #expect(UntrustedText.escaped("\u{1B}]0;PWNED\u{07}") == "\\e]0;PWNED\\u{7}")
    }

    @Test func ordinaryTextIsReturnedAsItIs() {
        for text in ["Ada Lovelace", "café · €9,00 ▸ 日本語 🛒", "x\u{301}"] {
            #expect(UntrustedText.escaped(text) == text)
        }
    }

    @Test func aLimitCutsAtThatManyCharactersWhateverTheText() {
        #expect(UntrustedText.escaped("Mozilla/5.0", limit: 11) == "Mozilla/5.0")
        #expect(UntrustedText.escaped("Mozilla/5.0", limit: 7) == "Mozilla…")
        #expect(UntrustedText.escaped("", limit: 0) == "")
        #expect(UntrustedText.escaped("ab", limit: 0) == "…")
        #expect(UntrustedText.escaped("日本語🛒x", limit: 4) == "日本語🛒…")
        #expect(UntrustedText.escaped("a\u{1B}[2Jb", limit: 2) == "a\\e…")
        #expect(UntrustedText.escaped("ab\tc", limit: 10) == "ab\\tc")
        // Printable ASCII is shown as it is, up to the limit: every character, lengths and limits 0–30.
        let printable = (0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }
        for n in 0..<400 {
            let text = String((0..<(n % 31)).map { printable[(n * 7 + $0 * 13) % printable.count] })
            let limit = (n * 11) % 31
            let expected = text.count <= limit ? text : String(text.prefix(limit)) + "…"
            #expect(UntrustedText.escaped(text, limit: limit) == expected, "\(text) at \(limit)")
        }
    }
}

