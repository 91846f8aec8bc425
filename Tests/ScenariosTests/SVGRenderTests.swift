import Foundation
import Testing
@testable import Scenarios

#if canImport(FoundationXML)
import FoundationXML
import TestSupport
#endif

/// The SVG as others read it: byte for byte against a golden file, and drawn to a PNG
/// by `rsvg-convert` (Debian `librsvg2-bin`, which scripts/test.sh installs).
@Suite("SVG pictures")
struct SVGRenderTests {
    static let goldenScenario = "04-rotation.yaml"

    func svg(of file: String) throws -> String {
        let scenario = try ScenarioParser.parse(contentsOf: repositoryRoot.appendingPathComponent("scenarios/\(file)").path)
        return SequenceSVG.render(try #require(ScenarioRunner(drawsDiagrams: true).run(scenario).diagram))
    }

    @Test("the rotation scenario's SVG equals Golden/04-rotation.svg (RECORD_SNAPSHOTS=1 rewrites it)")
    func golden() throws {
        let svg = try svg(of: Self.goldenScenario)
        let url = repositoryRoot.appendingPathComponent("Tests/ScenariosTests/Golden/04-rotation.svg")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try svg.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(svg == expected, "the SVG differs from \(url.lastPathComponent); if the change is meant, rerun with RECORD_SNAPSHOTS=1 and look at it")
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        // The legend names both keys of the rotation in full.
        #expect(svg.contains("keys: $k1 = d70d3259-e4e1-4b63-9c66-3cf4d73c4c04, $k2 ="))
    }

    @Test("rsvg-convert draws the SVG to a PNG of the SVG's own size", arguments: [goldenScenario, "12-lost-first-response-orphan.yaml"])
    func rendersToPNG(file: String) throws {
        let tool = try #require(Self.rsvgConvert, "rsvg-convert is missing: install librsvg2-bin (scripts/test.sh does)")
        let svg = try svg(of: file)
        let temporary = TemporaryDirectory("cs-svg")
        defer { temporary.remove() }
        let folder = temporary.url
        let input = folder.appendingPathComponent("diagram.svg"), output = folder.appendingPathComponent("diagram.png")
        try svg.write(to: input, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--output", output.path, input.path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "rsvg-convert said: \(said)")

        let png = try Data(contentsOf: output)
        try #require(png.count > 24, "rsvg-convert wrote \(png.count) bytes")
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        // IHDR: the width and height, big-endian, right after the signature and the chunk's length and type.
        let size = { (offset: Int) in png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        let declared = try #require(Self.size(of: svg))
        #expect(size(16) == declared.width && size(20) == declared.height)
    }

    /// `width="…" height="…"` of the root element, rounded as rsvg-convert rounds them.
    static func size(of svg: String) -> (width: Int, height: Int)? {
        guard let tag = svg.split(separator: ">").first,
              let width = attribute("width", in: tag), let height = attribute("height", in: tag) else { return nil }
        return (Int(width.rounded(.up)), Int(height.rounded(.up)))
    }

    static func attribute(_ name: String, in tag: Substring) -> Double? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        return Double(tag[start.upperBound...].prefix { $0 != "\"" })
    }

    /// `rsvg-convert` on the PATH, if any.
    static let rsvgConvert: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
        .split(separator: ":").map { "\($0)/rsvg-convert" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }
}
