import CheckoutCore

/// A `SequenceDiagram` as Mermaid's `sequenceDiagram` text: paste it into a
/// Markdown file on GitHub or GitLab, or into mermaid.live.
public enum Mermaid {
    public static func render(_ diagram: SequenceDiagram) -> String {
        var out = "sequenceDiagram\n"
        // The title is the scenario's own text, not yet through `UntrustedText` as the lines are.
        out += "    title \(escape(UntrustedText.escaped(diagram.title)))\n"
        for participant in SequenceDiagram.Participant.allCases {
            let kind = participant == .shopper ? "actor" : "participant"
            out += "    \(kind) \(participant.identifier) as \(participant.title)\n"
        }
        for line in diagram.linesWithLegend() {
            switch line.kind {
            case .message(let from, let to, let arrow):
                out += "    \(from.identifier)\(symbol(arrow))\(to.identifier): \(escape(line.text))\n"
            case .note(let from, let to):
                let over = from == to ? from.identifier : "\(from.identifier),\(to.identifier)"
                out += "    Note over \(over): \(escape(line.text))\n"
            }
        }
        return out
    }

    static func symbol(_ arrow: SequenceDiagram.Arrow) -> String {
        switch arrow {
        case .call: "->>"
        case .reply: "-->>"
        case .lost: "--x"
        }
    }

    /// Message text on one line, without what Mermaid would read as syntax:
    /// `;` ends a statement, `#` starts an entity, `<` `>` are markup, `%%` a comment.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\n", "\r", "\t": out += " "
            case "#": out += "#35;"
            case ";": out += "#59;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "%": out += "#37;"
            case "{": out += "#123;"
            case "}": out += "#125;"
            default: out.append(character)
            }
        }
        return out
    }
}
