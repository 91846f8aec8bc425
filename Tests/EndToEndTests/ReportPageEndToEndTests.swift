import Foundation
import Testing

/// The HTML pages product staff and CI open (`run --format html`, `export --format html`),
/// rendered by headless Chromium: every text readable (WCAG AA contrast, from the rendered
/// colours), the Mermaid block exactly what `export --format mermaid` prints.
@Suite("HTML pages in headless Chromium", .serialized, .enabled(if: BrowserTools.missing.isEmpty || runningInCI))
struct ReportPageEndToEndTests {
    static let script = repositoryRoot.appendingPathComponent("Tests/EndToEndTests/clients/page_contrast.py").path

    @Test("every text at 4.5:1 or more; the Mermaid block is the Mermaid export")
    func contrastAndMermaid() throws {
        #expect(BrowserTools.missing.isEmpty, "missing \(BrowserTools.missing): run scripts/test.sh")
        let folder = freshStateDirectory()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func write(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: folder + "/" + name, atomically: false, encoding: .utf8)
            return folder + "/" + name
        }
        let good = try write("good.yaml", "name: passes\ndescription: |\n  Two lines\n  of description.\nsteps:\n  - do: checkout\n")
        let bad = try write("bad.yaml", "name: fails\nsteps:\n  - do: checkout\n  - expect: { stored_key: none }\n")
        let broken = try write("broken.yaml", "name: broken\nsteps:\n  - do: chekout\n")
        let report = folder + "/report.html", picture = folder + "/rotation.html", mermaid = folder + "/rotation.mmd"
        #expect(try runBinary(["run", good, bad, broken, "--format", "html", "--output", report]).status == 2)
        #expect(try runBinary(["export", "04-rotation", "--output", picture]).status == 0)
        let text = try runBinary(["export", "04-rotation", "--format", "mermaid"])
        try text.stdout.write(toFile: mermaid, atomically: false, encoding: .utf8)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("Two lines\nof description.") && !html.contains("\\n"), "a literal \\n in the page")

        let check = try ChildProcess([WireTools.python, Self.script, report, "--chromium", BrowserTools.chromium,
                                      "--chromedriver", BrowserTools.chromedriver], environment: BrowserTools.environment)
        let mermaidCheck = try ChildProcess([WireTools.python, Self.script, picture, "--mermaid", mermaid, "--chromium", BrowserTools.chromium,
                                             "--chromedriver", BrowserTools.chromedriver], environment: BrowserTools.environment)
        for (process, expected) in [(check, "contrast checks: 1 passed, 0 failed"), (mermaidCheck, "contrast checks: 2 passed, 0 failed")] {
            guard process.exitStatus(within: 120) != nil else {
                Issue.record("the page check did not finish within 120 s: \(process.stdout)")
                continue
            }
            let output = process.finish()
            #expect(output.status == 0 && output.stdout.contains(expected), "\(output.stdout)\n\(output.stderr.suffix(2000))")
        }
    }
}
