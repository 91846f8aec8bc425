import CheckoutCore
import Foundation

/// Self-contained HTML pages (inline style and SVG, no script, nothing fetched):
/// one scenario to share, or a whole run for CI (`run --format html`). The markup is
/// also well-formed XML (closed empty elements, no bare attributes), so an XML parser
/// checks it in the tests.
public enum HTMLPage {
    /// One scenario's run: verdict, diagram, steps and the Mermaid source.
    public static func scenario(_ result: ScenarioResult) -> String {
        page(title: result.name, body: section(result, open: true, heading: "h1"))
    }

    /// A whole run: the summary, then every scenario (failed ones open).
    public static func report(_ results: [ScenarioResult], unusable: [UnusableFile] = []) -> String {
        let passed = results.filter(\.passed).count
        var body = "<h1>checkout-sim run</h1>\n"
        body += "<p class=\"summary\"><span class=\"pass\">\(passed) passed</span>, <span class=\"\(passed == results.count ? "muted" : "fail")\">\(results.count - passed) failed</span>"
        if !unusable.isEmpty { body += ", <span class=\"fail\">\(unusable.count) unusable</span>" }
        body += "</p>\n"
        if !unusable.isEmpty {
            body += "<section class=\"unusable\"><h2>Unusable files \(badge(false))</h2>\n<ul class=\"failures\">\n"
            for file in unusable {
                for error in file.errors { body += "<li><code>\(e(error.description))</code></li>\n" }
            }
            body += "</ul>\n</section>\n"
        }
        body += "<table class=\"index\"><thead><tr><th></th><th>scenario</th><th>file</th><th>failures</th></tr></thead><tbody>\n"
        for (index, result) in results.enumerated() {
            body += "<tr><td>\(badge(result.passed))</td><td><a href=\"#s\(index + 1)\">\(e(result.name))</a></td>"
            body += "<td><code>\(e(result.file))</code></td><td>\(result.failures.count)</td></tr>\n"
        }
        body += "</tbody></table>\n"
        for (index, result) in results.enumerated() {
            body += "<details id=\"s\(index + 1)\"\(result.passed ? "" : " open=\"open\"")><summary>\(badge(result.passed)) \(e(result.name))</summary>\n"
            body += section(result, open: !result.passed, heading: "h2")
            body += "</details>\n"
        }
        let errors = unusable.isEmpty ? "" : ", \(unusable.count) unusable"
        return page(title: "checkout-sim run: \(passed) passed, \(results.count - passed) failed\(errors)", body: body)
    }

    // MARK: - Pieces

    static func section(_ result: ScenarioResult, open: Bool, heading: String) -> String {
        var html = "<section>\n<\(heading)>\(e(result.name)) \(badge(result.passed))</\(heading)>\n"
        html += "<p class=\"muted\"><code>\(e(result.file))</code></p>\n"
        if let description = result.diagram?.description {
            html += "<p class=\"description\">\(lines(description.trimmingCharacters(in: .whitespacesAndNewlines)))</p>\n"
        }
        if !result.failures.isEmpty {
            html += "<ul class=\"failures\">\n"
            for failure in result.failures {
                html += "<li><code>\(e(result.file)):\(failure.line)</code> step \(failure.step): \(e(failure.message))</li>\n"
            }
            html += "</ul>\n"
        }
        guard let diagram = result.diagram else { return html + "</section>\n" }
        html += "<div class=\"diagram\">\n\(SequenceSVG.render(diagram))</div>\n"
        var namer = diagram.written().namer
        html += "<table class=\"steps\"><thead><tr><th>step</th><th>line</th><th></th><th>what</th><th>stored key after</th><th>toast</th><th>backend</th></tr></thead><tbody>\n"
        for step in result.steps {
            let verdict = step.passed.map { badge($0) } ?? ""
            let key = step.storedKey.map { namer.name($0) } ?? "none"
            let toast = step.toast.map { "\($0.kind.rawValue): \($0.message)" } ?? ""
            let backend = "\(Self.count(step.backend.sessions, "session")), \(Self.count(step.backend.paymentIntents, "PaymentIntent")), \(step.backend.paid) paid"
            html += "<tr><td>\(step.index)</td><td>\(step.line)</td><td>\(e(step.kind)) \(verdict)</td><td>\(e(step.action ?? ""))</td>"
            html += "<td><code>\(e(key))</code></td><td>\(e(toast))</td><td class=\"muted\">\(backend)</td></tr>\n"
        }
        html += "</tbody></table>\n"
        html += "<details><summary>Mermaid source (paste into Markdown or mermaid.live)</summary>\n<pre>\(lines(Mermaid.render(diagram)))</pre>\n</details>\n"
        return html + "</section>\n"
    }

    /// `1 session`, `2 sessions`.
    static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    static func badge(_ passed: Bool) -> String {
        passed ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>"
    }

    static func e(_ text: String) -> String { Reporter.xmlEscape(text) }

    /// Text of several lines, escaped line by line: its line breaks stay line breaks
    /// (`e` shows a newline as `\n`, as every other control character is shown).
    static func lines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { e(String($0)) }.joined(separator: "\n")
    }

    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/>
        <title>\(e(title))</title>
        <style>
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #24292f; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
        pre { background: #f6f8fa; padding: 12px; overflow-x: auto; }
        .diagram { overflow-x: auto; border: 1px solid #d0d7de; border-radius: 6px; margin: 12px 0; }
        table { border-collapse: collapse; margin: 12px 0; }
        th, td { border-bottom: 1px solid #eaeef2; padding: 4px 8px; text-align: left; vertical-align: top; }
        .badge { font: bold 11px ui-monospace, monospace; padding: 1px 6px; border-radius: 10px; color: #fff; }
        .pass { color: #1a7f37; } .fail { color: #cf222e; } .muted { color: #57606a; }
        .badge.pass { background: #1a7f37; color: #fff; } .badge.fail { background: #cf222e; color: #fff; }
        .description { white-space: pre-line; }
        .failures { color: #cf222e; }
        details > summary { cursor: pointer; padding: 6px 0; font-weight: 600; }
        section { margin-bottom: 24px; }
        </style>
        </head>
        <body>
        \(body)
        <p class="muted">Made by checkout-sim.</p>
        </body>
        </html>

        """
    }
}
