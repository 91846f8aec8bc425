import ArgumentParser
import Foundation
import Scenarios
import TerminalUI

/// `checkout-sim export SCENARIO`: a scenario's run as a picture to share.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Draw a scenario's run as a picture: Mermaid, SVG, HTML or an asciicast of presenter mode.",
        discussion: """
            The format follows --output's extension (.mmd, .md, .svg, .html, .cast) unless --format says. \
            --catalog-markdown writes docs/catalog.md instead: every built-in scenario's description and diagram. \
            Exit status: 0 written, 1 written but an expectation failed (the picture shows where), 2 on unusable input.
            """)

    @Argument(help: "The scenario file, or a built-in one by file name or name (04-rotation).")
    var scenario: String?

    @Flag(help: "Every built-in scenario's description and Mermaid diagram as Markdown (docs/catalog.md).")
    var catalogMarkdown = false

    @Option(help: "mermaid, markdown (Mermaid in a fenced block), svg, html or cast (asciicast v2 of presenter mode).")
    var format: PictureFormat?

    @Option(help: "Write to FILE instead of standard output.")
    var output: String?

    @OptionGroup var seedOptions: SeedOptions<ScenarioSeed>

    @Option(help: "Screen size of the asciicast, COLUMNSxROWS (at least 100x30).")
    var size: ScreenSize = ScreenSize(width: 100, height: 30)

    @OptionGroup var compareOptions: CompareOptions

    func validate() throws {
        if catalogMarkdown == (scenario != nil) {
            throw ValidationError(catalogMarkdown ? "give a scenario or --catalog-markdown, not both" : "give a scenario, or --catalog-markdown")
        }
        if catalogMarkdown, format != nil {
            throw ValidationError("--catalog-markdown writes Markdown; leave out --format")
        }
        if !catalogMarkdown, format == nil, let output, PictureFormat(fileName: output) == nil, !output.hasPrefix("/dev/") {
            throw ValidationError("cannot tell the format from \"\(output)\": give --format, or end the file name in .mmd, .md, .svg, .html or .cast")
        }
    }

    func run() throws {
        guard let scenario else { return try write(CatalogMarkdown.render()) }
        let parsed = try loadOneScenario(scenario)
        let chosen = format ?? output.flatMap(PictureFormat.init(fileName:)) ?? .mermaid
        if let other = try compareOptions.client() { return try writeComparison(parsed, against: other, format: chosen) }
        let result = ScenarioRunner(seedOverride: seedOptions.seed, drawsDiagrams: true).run(parsed)
        let picture: String
        switch chosen {
        case .mermaid: picture = Mermaid.render(result.diagram!)
        case .markdown: picture = "```mermaid\n" + Mermaid.render(result.diagram!) + "```\n"
        case .svg: picture = SequenceSVG.render(result.diagram!)
        case .html: picture = HTMLPage.scenario(result)
        case .cast:
            var played = parsed
            if let seed = seedOptions.seed { played.setup.seed = seed }
            picture = Asciicast.presenter(played, width: size.width, height: size.height)
        }
        try write(picture)
        if !result.passed {
            printError("\(parsed.file): \(result.failures.count) expectation(s) failed; the picture shows where")
            throw ExitCode(1)
        }
    }

    /// To --output, else standard output; a failed write is exit 2 with the reason.
    func write(_ text: String) throws {
        guard let output else { return print(text, terminator: "") }
        do {
            try OutputFile.write(Data(text.utf8), to: output)
        } catch {
            throw UsageError(error.description)
        }
    }
}

/// The `--format` values of `export`.
enum PictureFormat: String, ExpressibleByArgument, CaseIterable {
    case mermaid, markdown, svg, html, cast

    /// The format a file name's extension asks for.
    init?(fileName: String) {
        switch URL(fileURLWithPath: fileName).pathExtension.lowercased() {
        case "mmd", "mermaid": self = .mermaid
        case "md", "markdown": self = .markdown
        case "svg": self = .svg
        case "html", "htm": self = .html
        case "cast": self = .cast
        default: return nil
        }
    }
}

/// `--size 120x40`.
struct ScreenSize: ExpressibleByArgument, Equatable {
    var width: Int
    var height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              (100...500).contains(width), (30...200).contains(height) else { return nil }
        self.init(width: width, height: height)
    }

    var defaultValueDescription: String { "\(width)x\(height)" }
}
