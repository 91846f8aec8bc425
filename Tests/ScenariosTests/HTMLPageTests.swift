import Foundation
import Testing
@testable import Scenarios

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The HTML pages (`export --format html`, `run --format html`) read by a parser:
/// well-formed, and text from scenario files only ever as text.
@Suite("HTML pages")
struct HTMLPageTests {
    /// Every element the pages are made of; anything else came from a scenario file.
    static let elements: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "code", "pre", "a", "ul", "li",
        "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "section", "div",
        "svg", "defs", "marker", "path", "rect", "line", "text",
    ]

    /// Markup, an entity, a terminal escape, a bidi override and a line break in every field a page shows.
    static let hostile = """
        name: "evil <script>alert(1)</script> &amp; <b>bold</b>"
        description: "<img src=x onerror=alert(2)> &lt;"
        steps:
          - say: "<iframe src=//x></iframe> \\e[31m red \\u202E ]]> <!-- "
          - do: { set_stored_key: "<a href=x>key</a>-0123456789-0123456789" }
          - backend: { error: { message: "</td></tr></table><script>x</script>" } }
          - do: checkout
          - expect: { toast: { contains: "<em>never</em>" } }
        """

    func pages() throws -> [String] {
        let scenario = try ScenarioParser.parse(yaml: Self.hostile, file: "evil<style>.yaml")
        let result = ScenarioRunner(drawsDiagrams: true).run(scenario)
        #expect(!result.passed)
        return [HTMLPage.scenario(result), HTMLPage.report([result, result])]
    }

    @Test("both pages parse as XML, made only of the page's own elements, with the hostile text as text")
    func wellFormedAndEscaped() throws {
        for html in try pages() {
            let reader = PageReader()
            let parser = XMLParser(data: Data(html.utf8))
            parser.delegate = reader
            #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)")
            #expect(reader.names.isSubset(of: Self.elements), "elements from scenario text: \(reader.names.subtracting(Self.elements))")
            #expect(reader.names.contains("svg") && reader.names.contains("table"))
            // What the scenario said is there, to be read, not run.
            let text = reader.text
            for shown in ["evil <script>alert(1)</script> &amp; <b>bold</b>", "<img src=x onerror=alert(2)> &lt;",
                          "<iframe src=//x></iframe>", "</td></tr></table><script>x</script>", "evil<style>.yaml"] {
                #expect(text.contains(shown), "missing as text: \(shown)")
            }
            #expect(!text.contains("\u{1B}") && !text.contains("\u{202E}"))
            #expect(!html.contains("<script") && !html.contains("<iframe") && !html.contains("<img"))
            #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "nothing fetched")
        }
    }

    @Test("the run report says pass and fail at the top and opens the failed scenario")
    func reportTop() throws {
        let passing = ScenarioRunner(drawsDiagrams: true).run(try ScenarioParser.parse(yaml: "name: fine\nsteps:\n  - do: checkout\n  - expect: { stored_key: $k1 }\n", file: "fine.yaml"))
        let failing = ScenarioRunner(drawsDiagrams: true).run(try ScenarioParser.parse(yaml: Self.hostile, file: "evil.yaml"))
        let html = HTMLPage.report([passing, failing])
        let body = try #require(html.range(of: "<body>"))
        let summary = try #require(html.range(of: "<p class=\"summary\">"))
        let firstSection = try #require(html.range(of: "<section>"))
        #expect(body.upperBound < summary.lowerBound && summary.upperBound < firstSection.lowerBound)
        #expect(html.contains("1 passed</span>, <span class=\"fail\">1 failed"))
        #expect(html.contains("<details id=\"s1\"><summary>") && html.contains("<details id=\"s2\" open=\"open\"><summary>"))
    }
}

/// Collects element names and character data.
final class PageReader: NSObject, XMLParserDelegate {
    var names: Set<String> = []
    var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        names.insert(name)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
