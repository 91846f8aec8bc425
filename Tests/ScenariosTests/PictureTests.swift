import CheckoutCore
import Foundation
import Testing
@testable import Scenarios

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Pictures of a run: the sequence diagram and its Mermaid, SVG and HTML forms.
@Suite("Pictures")
struct PictureTests {
    func diagram(_ yaml: String) throws -> (ScenarioResult, SequenceDiagram) {
        let result = ScenarioRunner(drawsDiagrams: true).run(try ScenarioParser.parse(yaml: yaml, file: "test.yaml"))
        return (result, try #require(result.diagram))
    }

    @Test("a rotation reads as calls, replies and storage writes, keys named as the scenario names them")
    func rotationAsMermaid() throws {
        let (_, diagram) = try diagram("""
            name: Rotation
            steps:
              - do: checkout
              - expect: { stored_key: $k1 }
              - backend: rotate
              - do: refresh
              - expect: { stored_key: $k2 }
            """)
        let lines = Mermaid.render(diagram).split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(7)) == [
            "sequenceDiagram", "    title Rotation",
            "    actor Shopper as Shopper", "    participant Page as Page", "    participant Storage as localStorage",
            "    participant Backend as Backend", "    participant Stripe as Stripe",
        ])
        let body = Array(lines.dropFirst(7))
        #expect(body.dropLast() == [
            "    Shopper->>Page: checkout",
            "    Page->>Backend: [1] ValidateOrderItemsInsert, no key",
            "    Note over Backend: new session $k1 (no key sent)",
            "    Backend->>Stripe: pi_1 created: 23.40 EUR, requires_payment_method",
            "    Backend-->>Page: [1] OK, key $k1",
            "    Page->>Storage: store $k1",
            "    Note over Shopper,Stripe: ✓ expectations hold (line 4)",
            "    Note over Backend: armed rotate once",
            "    Shopper->>Page: refresh",
            "    Page->>Backend: [2] ValidateOrderItemsInsert (refresh), key $k1",
            "    Note over Backend: rule fires: rotate",
            "    Note over Backend: session $k1 rotated",
            "    Backend->>Stripe: pi_1 requires_payment_method → canceled",
            "    Note over Backend: new session $k2 (key of a rotated session)",
            "    Backend->>Stripe: pi_2 created: 23.40 EUR, requires_payment_method",
            "    Backend-->>Page: [2] OK, key $k2",
            "    Page->>Storage: overwrite with $k2 (server rotation)",
            "    Note over Shopper,Stripe: ✓ expectations hold (line 7)",
        ])
        // The legend, last: each name and the whole key it stands for (keys are random hex).
        let legend = try #require(body.last)
        #expect(legend.wholeMatch(of: try Regex(#"    Note over Shopper,Stripe: keys: \$k1 = [0-9a-f-]{36}, \$k2 = [0-9a-f-]{36}"#)) != nil, "\(legend)")
        let (k1, k2) = (try #require(diagram.variables["k1"]), try #require(diagram.variables["k2"]))
        #expect(legend.contains(k1) && legend.contains(k2))
    }

    @Test("a lost reply is a crossed arrow; the orphan's key, bound to no variable, is k2 next to $k1")
    func lostReplyAndUnboundKey() throws {
        let (_, diagram) = try diagram("""
            name: Orphan
            steps:
              - backend: drop_response
              - do: checkout
              - do: retry
              - expect: { stored_key: $k1 }
            """)
        let text = Mermaid.render(diagram)
        #expect(text.contains("Backend--xPage: [1] no reply: the client gives up after 10s"))
        #expect(text.contains("Note over Backend: new session k2 (no key sent)\n"))
        #expect(text.contains("Note over Backend: new session $k1 (no key sent)\n"))
        #expect(text.contains("Note over Page: no key stored#59; showed the generic toast\n"))
        #expect(!text.contains("kept the key"))
        #expect(text.contains("keys: k2 = "))
        #expect(text.contains("Backend-->>Page: [2] OK, key $k1\n"))
        #expect(text.contains("Page->>Storage: store $k1\n"))
    }

    @Test("a failed expectation is a red note and marks the diagram failed")
    func failedExpectation() throws {
        let (result, diagram) = try diagram("""
            name: Fails
            steps:
              - backend: { error: { message: "boom" } }
              - do: checkout
              - expect: { toast: none }
            """)
        #expect(!result.passed)
        #expect(!diagram.passed)
        let last = try #require(diagram.lines().last)
        #expect(last.tone == .fail)
        #expect(last.text.hasPrefix("✗ line 5: "))
        let html = HTMLPage.report([result])
        #expect(html.contains("0 passed</span>, <span class=\"fail\">1 failed"))
        #expect(html.contains("<details id=\"s1\" open=\"open\">"))
    }

    static let hostile = """
        name: "evil <script>alert(1)</script> ; # %% end"
        steps:
          - say: "close ;  #35; <img src=x onerror=alert(1)> \\e[31m red \\u202E"
          - backend: { error: { message: "</text><script>x</script>; Note over Page: injected" } }
          - do: checkout
        """

    @Test("a title with ESC, BEL, U+202E and U+FFFF reaches Mermaid escaped")
    func hostileTitleInMermaid() throws {
        let (_, diagram) = try diagram("""
            name: "evil \\e]0;PWNED\\a \\u202E \\uFFFF title"
            steps:
              - do: checkout
            """)
        let mermaid = Mermaid.render(diagram)
        #expect(!mermaid.unicodeScalars.contains { $0 != "\n" && UntrustedText.isUnsafe($0) })
        #expect(mermaid.split(separator: "\n")[1] == "    title evil \\e]0#59;PWNED\\u#123;7#125; \\u#123;202E#125; \\u#123;FFFF#125; title")
    }

    @Test("hostile text cannot break out of Mermaid, SVG or HTML, nor reach a terminal")
    func hostileText() throws {
        let (result, diagram) = try diagram(Self.hostile)
        let mermaid = Mermaid.render(diagram)
        for line in mermaid.split(separator: "\n").dropFirst() {
            #expect(!line.contains(";") || line.contains("#59;") || line.contains("#35;"), "\(line)")
            #expect(!line.contains("<") && !line.contains("\u{1B}"))
        }
        // The message stays inside its own statement: `;` would have started a new one.
        #expect(mermaid.contains("#59; Note over Page: injected"))
        #expect(!mermaid.contains("\n    Note over Page: injected"))
        let svg = SequenceSVG.render(diagram)
        #expect(!svg.contains("<script") && !svg.contains("<img") && !svg.contains("\u{1B}") && !svg.contains("\u{202E}"))
        #expect(isWellFormedXML(svg))
        let html = HTMLPage.scenario(result)
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("\u{1B}"))
    }

    @Test("every catalog scenario draws: its SVG is well-formed XML and its verdict the run's", arguments: catalogFiles)
    func catalog(file: String) throws {
        let result = ScenarioRunner(drawsDiagrams: true).run(try ScenarioParser.parse(contentsOf: file))
        let diagram = try #require(result.diagram)
        #expect(diagram.passed == result.passed)
        #expect(diagram.lines().contains { if case .message = $0.kind { true } else { false } })
        #expect(isWellFormedXML(SequenceSVG.render(diagram)))
        #expect(Mermaid.render(diagram).hasPrefix("sequenceDiagram\n"))
    }

    @Test("after a lost reply the page says it kept the key only when it holds one")
    func keptKeyOnlyWhenStored() throws {
        let (_, diagram) = try diagram("""
            name: Kept
            steps:
              - do: checkout
              - backend: drop_response
              - do: retry
            """)
        let notes = diagram.lines().filter { $0.kind == .note(from: .page, to: .page) }.map(\.text)
        #expect(notes == ["kept the key; showed the generic toast"])
    }

    @Test("docs/catalog.md is generated from the catalog and up to date")
    func catalogDocument() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/catalog.md"), encoding: .utf8)
        #expect(text == CatalogMarkdown.render(),
                "docs/catalog.md is stale: run `swift run checkout-sim export --catalog-markdown --output docs/catalog.md`")
        #expect(text.components(separatedBy: "```mermaid\nsequenceDiagram\n").count == catalogFiles.count + 1)
        // The README shows the rotation's diagram from the catalog.
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let rotation = try #require(ScenarioRunner(drawsDiagrams: true).run(
            try ScenarioParser.parse(contentsOf: repositoryRoot.appendingPathComponent("scenarios/04-rotation.yaml").path)).diagram)
        let block = "```mermaid\n" + Mermaid.render(rotation) + "```\n"
        #expect(text.contains(block))
        #expect(readme.contains(block), "README.md's rotation diagram is stale: copy it from docs/catalog.md")
        #expect(readme.contains("(docs/catalog.md)"))
    }

    @Test("catalog prose cannot open markup, a link or a code span")
    func catalogProse() {
        #expect(CatalogMarkdown.text("a <b>\n[x](y) `z` *w*") == "a &lt;b&gt; \\[x\\](y) \\`z\\` \\*w\\*")
        #expect(CatalogMarkdown.code("a`b\u{1B}") == "a'b\\e")
    }

    @Test("without pictures asked for, the runner keeps none (and the engine has no observer)")
    func noDiagramByDefault() throws {
        let scenario = try ScenarioParser.parse(yaml: "name: x\nsteps:\n  - do: checkout\n", file: "x.yaml")
        #expect(ScenarioRunner().run(scenario).diagram == nil)
        #expect(ScenarioRunner().makeSimulation(for: scenario).eventObserver == nil)
    }

    @Test("money in the backend's lines is written in units, not cents")
    func money() {
        #expect(SequenceTracer.withMoney("pi_1 created: 2340 EUR, requires_payment_method") == "pi_1 created: 23.40 EUR, requires_payment_method")
        #expect(SequenceTracer.withMoney("pi_1 amount 2340 → 11450") == "pi_1 amount 23.40 → 114.50")
        #expect(SequenceTracer.withMoney("pi_1 amount 5 → 0") == "pi_1 amount 0.05 → 0.00")
    }

    @Test("long labels wrap at spaces, and a word longer than a line is cut")
    func wrapping() {
        #expect(SequenceSVG.wrap("aaa bbb ccc", width: 7) == ["aaa bbb", "ccc"])
        #expect(SequenceSVG.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(SequenceSVG.wrap("", width: 4) == [""])
    }

    func isWellFormedXML(_ text: String) -> Bool {
        XMLParser(data: Data(text.utf8)).parse()
    }
}
