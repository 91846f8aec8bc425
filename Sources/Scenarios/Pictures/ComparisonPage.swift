/// One scenario's run under several clients on one page (`export --compare`): a heading
/// per client, each with its verdict and its sequence diagram, so the two can be read
/// one after the other.
public enum ComparisonPage {
    /// One client's run of the scenario.
    public struct Run {
        public var client: ClientChoice
        public var result: ScenarioResult

        public init(client: ClientChoice, result: ScenarioResult) {
            self.client = client
            self.result = result
        }
    }

    /// The scenario played under each client in `clients`, drawing its diagram.
    public static func runs(_ scenario: Scenario, clients: [ClientChoice], seedOverride: UInt64? = nil) -> [Run] {
        clients.map { client in
            var played = scenario
            played.setup = ClientChoices.setup(scenario.setup, playedBy: client)
            return Run(client: client, result: ScenarioRunner(seedOverride: seedOverride, drawsDiagrams: true).run(played))
        }
    }

    /// A self-contained HTML page: a section per client, headed by its name.
    public static func html(_ runs: [Run]) -> String {
        let title = runs.first?.result.name ?? "comparison"
        let names = runs.map { ClientChoices.name(of: $0.client) }
        var body = "<h1>\(HTMLPage.e(title)): \(HTMLPage.e(names.joined(separator: " vs ")))</h1>\n"
        body += "<p class=\"muted\">The same scenario played under each client; an expectation written for one client may fail under another, and where it fails is the difference.</p>\n"
        for run in runs {
            body += "<h2 id=\"client-\(HTMLPage.e(ClientChoices.name(of: run.client)))\">Client: \(HTMLPage.e(ClientChoices.name(of: run.client)))</h2>\n"
            body += HTMLPage.section(run.result, open: true, heading: "h3")
        }
        return HTMLPage.page(title: "\(title): \(names.joined(separator: " vs "))", body: body)
    }

    /// Markdown: a heading per client and its Mermaid diagram in a fenced block.
    public static func markdown(_ runs: [Run]) -> String {
        let title = runs.first?.result.name ?? "comparison"
        var text = "# \(title): \(runs.map { ClientChoices.name(of: $0.client) }.joined(separator: " vs "))\n\n"
        for run in runs {
            let verdict = run.result.passed ? "The scenario's expectations hold" : "\(run.result.failures.count) expectation(s) fail"
            text += "## Client: \(ClientChoices.name(of: run.client))\n\n"
            text += "\(verdict).\n\n"
            for failure in run.result.failures { text += "- step \(failure.step) (line \(failure.line)): \(failure.message)\n" }
            if !run.result.failures.isEmpty { text += "\n" }
            if let diagram = run.result.diagram { text += "```mermaid\n" + Mermaid.render(diagram) + "```\n\n" }
        }
        return text
    }
}
