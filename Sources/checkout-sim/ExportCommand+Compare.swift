import Scenarios

extension ExportCommand {
    /// `export SCENARIO --compare CLIENT`: both runs on one page (HTML, or Markdown with
    /// Mermaid). Exit status 0 once written: an expectation written for one client that
    /// fails under the other is the comparison's finding, shown on the page, not an error.
    func writeComparison(_ scenario: Scenario, against other: ClientChoice, format: PictureFormat) throws {
        let runs = ComparisonPage.runs(scenario, clients: [ClientChoices.baseline, other], seedOverride: seedOptions.seed)
        switch format {
        case .html: try write(ComparisonPage.html(runs))
        case .markdown, .mermaid: try write(ComparisonPage.markdown(runs))
        case .svg, .cast: throw UsageError("--compare draws one page with both diagrams: --format html or markdown")
        }
    }
}
