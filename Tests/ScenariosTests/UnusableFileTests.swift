import Foundation
@testable import Scenarios
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A file `run` cannot play is reported in every format, with each of its mistakes.
struct UnusableFileTests {
    static let threeMistakes = "name: broken\nsteps:\n  - do: chekout\n  - do: pya\n  - expect: {stored_kye: none}\n"

    @Test func everyMistakeOfAFileIsReported() throws {
        let error = try #require(throws: ScenarioParseError.self) { try ScenarioParser.parse(yaml: Self.threeMistakes, file: "b.yaml") }
        #expect(error.all.map(\.description) == [
            "b.yaml:3:9: unknown action 'chekout'; did you mean 'checkout'?",
            "b.yaml:4:9: unknown action 'pya'; did you mean 'pay'?",
            "b.yaml:5:14: unknown field 'stored_kye' in expect; did you mean 'stored_key'?",
        ])
        #expect(error.description == "b.yaml:3:9: unknown action 'chekout'; did you mean 'checkout'?")
    }

    @Test func mistakesStopAtTheLimit() throws {
        let text = "name: many\nsteps:\n" + String(repeating: "  - do: nope\n", count: 50)
        let error = try #require(throws: ScenarioParseError.self) { try ScenarioParser.parse(yaml: text, file: "m.yaml") }
        #expect(error.all.count == ScenarioParseError.limit)
    }

    @Test func aMissingNameAndABadStepAreBothReported() throws {
        let error = try #require(throws: ScenarioParseError.self) { try ScenarioParser.parse(yaml: "steps:\n  - do: nope\n", file: "x.yaml") }
        #expect(error.all.map(\.message) == ["missing required field 'name'", "unknown action 'nope'"])
    }

    static var unusable: UnusableFile { UnusableFile(file: "b.yaml", errors: mistakes(of: threeMistakes)) }

    static func mistakes(of text: String) -> [ScenarioParseError] {
        do {
            _ = try ScenarioParser.parse(yaml: text, file: "b.yaml")
            return []
        } catch let error as ScenarioParseError {
            return error.all
        } catch {
            return []
        }
    }

    @Test func junitCountsAnUnusableFileAsAnError() throws {
        let good = ScenarioRunner().run(try ScenarioParser.parse(yaml: "name: good\nsteps:\n  - do: checkout\n", file: "good.yaml"))
        let xml = Reporter.render([good], unusable: [Self.unusable], format: .junit)
        #expect(xml.contains(#"<testsuite name="scenarios" tests="2" failures="0" errors="1""#), "\(xml)")
        #expect(xml.contains(#"<error message="b.yaml:3:9: unknown action &apos;chekout&apos;; did you mean &apos;checkout&apos;?" type="unusable">"#), "\(xml)")
        #expect(xml.contains("b.yaml:5:14: unknown field &apos;stored_kye&apos;"), "\(xml)")
        _ = try XMLDocument(data: Data(xml.utf8))
    }

    @Test func jsonAndHTMLReportIt() throws {
        let json = Reporter.render([], unusable: [Self.unusable], format: .json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        let files = try #require(object["unusable"] as? [[String: Any]])
        #expect((files.first?["errors"] as? [[String: Any]])?.count == 3)
        #expect((files.first?["errors"] as? [[String: Any]])?.first?["line"] as? Int == 3)
        // Without unusable files the report is the format's as before.
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(Reporter.render([], format: .json).utf8)) as? [String: Any])
        #expect(plain["errors"] == nil && plain["unusable"] == nil)

        let html = Reporter.render([], unusable: [Self.unusable], format: .html)
        #expect(html.contains("1 unusable"))
        #expect(html.contains("b.yaml:4:9: unknown action &apos;pya&apos;"))
    }
}

/// What product staff type for a catalog scenario: its number, or the start of its name.
struct CatalogNumberTests {
    @Test func aNumberOrAPrefixNamesOneScenario() throws {
        let full = try #require(BuiltInCatalog.labels.first { $0.hasPrefix(BuiltInCatalog.prefix + "33-") })
        #expect(BuiltInCatalog.labels(matching: "33") == [full])
        #expect(BuiltInCatalog.labels(matching: "33-paid") == [full])
        #expect(BuiltInCatalog.labels(matching: "4") == nil, "no file starts with 4-")
        #expect(BuiltInCatalog.labels(matching: "0") == nil)
        #expect(BuiltInCatalog.labels(matching: "") == nil)
    }

    @Test func theTextReportNamesAnUnusableFile() {
        let text = Reporter.render([], unusable: [UnusableFileTests.unusable], format: .text)
        #expect(text == "ERROR b.yaml  (unusable: 3 mistakes, not played)\n0 passed, 0 failed\n")
    }
}
