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
}
