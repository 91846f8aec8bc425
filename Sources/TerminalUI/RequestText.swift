import CheckoutCore
import Foundation

/// Proto3 JSON for reading: pretty-printed, and wrapped at token boundaries.
enum JSONText {
    /// Compact JSON indented two spaces a level; strings are copied untouched.
    static func pretty(_ compact: String) -> String {
        var out = "", indent = 0, inString = false, escaped = false
        let characters = Array(compact)
        func newline() { out += "\n" + String(repeating: "  ", count: indent) }
        for (index, character) in characters.enumerated() {
            if inString {
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"":
                inString = true
                out.append(character)
            case "{", "[":
                out.append(character)
                let next = characters[(index + 1)...].first { !$0.isWhitespace }
                if next != "}" && next != "]" {
                    indent += 1
                    newline()
                }
            case "}", "]":
                let previous = characters[..<index].last { !$0.isWhitespace }
                if previous != "{" && previous != "[" {
                    indent = max(indent - 1, 0)
                    newline()
                }
                out.append(character)
            case ",":
                out.append(character)
                newline()
            case ":": out += ": "
            case " ", "\n", "\t", "\r": break
            default: out.append(character)
            }
        }
        return out
    }

    /// Splits one line of JSON into lines of at most `width` columns, breaking only after
    /// `,`, after the `:` that ends a key, and at spaces outside strings: a string token is cut only when it alone is
    /// wider than a line. Continuation lines keep the line's indentation and two more spaces.
    static func wrap(_ line: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        guard Grid.width(of: line) > width else { return [line] }
        let indentCount = line.prefix { $0 == " " }.count
        let continuation = String(repeating: " ", count: indentCount + 2 <= width / 2 ? indentCount + 2 : 0)
        var pieces: [String] = [], piece = "", inString = false, escaped = false, previous: Character = " "
        for character in line {
            piece.append(character)
            defer { previous = character }
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "," || character == " " || character == ":" && previous == "\"" {
                pieces.append(piece)
                piece = ""
            }
        }
        if !piece.isEmpty { pieces.append(piece) }
        var lines: [String] = [], current = ""
        func hasContent() -> Bool { current.contains { $0 != " " } }
        func flush() {
            lines.append(String(current.reversed().drop { $0 == " " }.reversed()))
            current = continuation
        }
        for piece in pieces {
            let visible = Grid.width(of: String(piece.reversed().drop { $0 == " " }.reversed()))
            if hasContent(), Grid.width(of: current) + visible > width { flush() }
            if Grid.width(of: current) + visible <= width {
                current += piece
                continue
            }
            // A single token wider than a line: cut into line-wide chunks.
            for character in piece {
                if hasContent(), Grid.width(of: current) + Grid.columns(of: character) > width { flush() }
                current.append(character)
            }
        }
        if hasContent() { flush() }
        return lines
    }
}

/// A request as a `curl` command against the local Connect server.
enum Curl {
    /// The Connect server the commands target.
    static let baseURL = "http://127.0.0.1:8787"

    /// A runnable command posting `json` to `method` in Connect's JSON form, one argument
    /// group a line (backslash continuations), so that it reads well wrapped.
    static func command(_ method: RPCMethod, json: String) -> String {
        [
            "curl -sS -X POST \(baseURL)\(method.rawValue)",
            "-H 'Content-Type: application/json'",
            "-H 'Connect-Protocol-Version: 1'",
            "--data \(shellQuoted(json))",
        ].joined(separator: " \\\n  ")
    }

    /// `text` in single quotes for a POSIX shell: nothing in it expands; a `'` becomes `'\''`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Bytes as a classic hex dump: offset, sixteen bytes in hex (eight in fewer than 77
/// columns), and their ASCII.
enum HexDump {
    static func lines(_ data: Data, width: Int = 80) -> [String] {
        let bytes = [UInt8](data)
        let perRow = width >= 77 ? 16 : 8
        return stride(from: 0, to: bytes.count, by: perRow).map { offset in
            let row = bytes[offset..<min(offset + perRow, bytes.count)]
            let hex = row.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }
            let left = hex.prefix(8).joined(separator: " "), right = hex.dropFirst(8).joined(separator: " ")
            let hexColumn = (left + (right.isEmpty ? "" : "  " + right)).padding(toLength: perRow * 3, withPad: " ", startingAt: 0)
            let ascii = String(row.map { (0x20..<0x7f).contains($0) ? Character(UnicodeScalar($0)) : "." })
            let position = String(offset, radix: 16)
            return String(repeating: "0", count: max(0, 8 - position.count)) + position + "  " + hexColumn + " |" + ascii + "|"
        }
    }
}

/// The system clipboard through the terminal: OSC 52. Pure; the ncurses layer writes it.
public enum Clipboard {
    /// Whether a terminal of type `term` likely understands OSC 52: not `dumb`, not the Linux console.
    public static func likelySupported(term: String?) -> Bool {
        guard let term, !term.isEmpty else { return false }
        return term != "dumb" && term != "linux"
    }

    /// `ESC ] 52 ; c ; <base64> BEL`: sets the clipboard to `text`.
    public static func osc52(_ text: String) -> String {
        "\u{1b}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}"
    }
}
