import Foundation
import CheckoutCore

/// `docs/catalog.md`: every built-in scenario with its description and its run as a
/// Mermaid sequence diagram (GitHub and GitLab draw the fenced blocks).
/// `checkout-sim export --catalog-markdown` writes it; a test keeps the file current.
public enum CatalogMarkdown {
    /// The whole document, the scenarios in catalog order.
    public static func render() -> String {
        let runner = ScenarioRunner(drawsDiagrams: true)
        var entries: [(file: String, result: ScenarioResult)] = []
        var unusable: [String] = []
        for file in BuiltInCatalog.files {
            do {
                let scenario = try ScenarioParser.parse(yaml: file.text, file: "scenarios/" + file.name)
                entries.append((file.name, runner.run(scenario)))
            } catch {
                unusable.append("- `scenarios/\(code(file.name))` does not parse: \(text("\(error)"))")
            }
        }
        var out = "# Scenario catalog\n\n"
        out += "Generated from `scenarios/` by `checkout-sim export --catalog-markdown`; do not edit.\n"
        out += "Each scenario's run as a sequence diagram of the shopper, the page, localStorage, the backend\n"
        out += "and Stripe: `checkout-sim export NAME --output NAME.svg` draws one as a picture, and\n"
        out += "`checkout-sim demo NAME` plays it in the terminal.\n\n"
        for (file, result) in entries {
            out += "- [\(text(result.name))](#\(anchor(file))) (`\(code(file))`)\n"
        }
        out += unusable.map { $0 + "\n" }.joined()
        for (file, result) in entries {
            out += "\n<a id=\"\(anchor(file))\"></a>\n\n## \(text(result.name))\n\n"
            out += "`scenarios/\(code(file))`"
            out += result.passed ? "\n\n" : " (an expectation fails in this run)\n\n"
            if let description = result.diagram?.description, !description.isEmpty {
                out += text(description) + "\n\n"
            }
            if let diagram = result.diagram {
                out += "```mermaid\n" + Mermaid.render(diagram) + "```\n"
            }
        }
        return out
    }

    /// The anchor of a scenario's section: its file name without `.yaml`.
    static func anchor(_ file: String) -> String {
        let name = file.hasSuffix(".yaml") ? String(file.dropLast(5)) : file
        return String(name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
    }

    /// Prose on one line, with nothing Markdown or HTML would read as markup.
    static func text(_ value: String) -> String {
        let oneLine = value.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        var out = ""
        for character in UntrustedText.escaped(oneLine) {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "|": out += "\\" + String(character)
            default: out.append(character)
            }
        }
        return out
    }

    /// Text inside a code span: no backquote can end it early.
    static func code(_ value: String) -> String {
        UntrustedText.escaped(value).replacingOccurrences(of: "`", with: "'")
    }
}
