import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Scenarios

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Suite("export --compare: both diagrams on one page")
struct ComparisonPageTests {
    private func runs() throws -> [ComparisonPage.Run] {
        let scenario = try ScenarioParser.parse(contentsOf: root.appendingPathComponent("scenarios/33-paid-twice-after-another-tab.yaml").path)
        let other = try #require(ClientChoices.all.first { $0 != ClientChoices.baseline })
        return ComparisonPage.runs(scenario, clients: [ClientChoices.baseline, other])
    }

    @Test("the HTML page has a heading and a diagram per client, each played by its own client")
    func html() throws {
        let runs = try runs()
        let page = ComparisonPage.html(runs)
        for run in runs {
            #expect(page.contains("<h2 id=\"client-\(ClientChoices.name(of: run.client))\">Client: \(ClientChoices.name(of: run.client))</h2>"))
        }
        #expect(page.components(separatedBy: "<svg").count - 1 == 2, "two diagrams")
        #expect(runs[0].result.passed, "the scenario was written for the baseline")
        #expect(!runs[1].result.passed, "the other client pays once: the scenario's expectations fail, and the page shows where")
        #expect(page.contains("backend.paid: expected 2, got 1"))
        // Well-formed, as every page of HTMLPage is.
        #expect(XMLParser(data: Data(page.utf8)).parse())
        #expect(page.components(separatedBy: "<h2 ").count - 1 == 2)
    }

    @Test("the Markdown page has a heading and a Mermaid block per client")
    func markdown() throws {
        let page = ComparisonPage.markdown(try runs())
        #expect(page.components(separatedBy: "```mermaid").count - 1 == 2)
        for name in ["standard", ClientChoices.name(of: try runs()[1].client)] { #expect(page.contains("## Client: \(name)\n")) }
    }
}
