import CheckoutCore
import Foundation
import Testing
@testable import Scenarios

/// Input that tries to drive a terminal or break a report: file names, quoted input,
/// invisible characters and the characters XML forbids.
@Suite("Hostile text")
struct HostileTextTests {
    @Test("a parse error escapes the file name and the input it quotes")
    func parseErrorIsEscaped() throws {
        let file = "evil\u{1B}]0;NAME\u{07}.yaml"
        guard case .failure(let error) = parse("name: x\nsteps:\n  - do: \"bad\\e]0;PWNED\\a\"\n", file: file) else {
            Issue.record("accepted an unknown action")
            return
        }
        #expect(error.description == "evil\\e]0;NAME\\u{7}.yaml:3:9: unknown action 'bad\\e]0;PWNED\\u{7}'")
        #expect(!error.description.unicodeScalars.contains { $0.value < 0x20 })
    }

    private func results() throws -> [ScenarioResult] {
        let name = "odd \u{FFFE}\u{FFFF}\u{1}\u{200B}\u{202E}" + String(Unicode.Scalar(0xFDD0)!) + " name"  // no U+FDD0 literals in Swift
        let result = try run("""
            name: "\(name.unicodeScalars.map { "\\U\(String(format: "%08X", $0.value))" }.joined())"
            steps:
              - backend: { error: { message: "bad\\uFFFF\\u200D & <b>" } }
              - do: checkout
              - expect: { toast: none }
            """)
        #expect(result.name == name)
        return [result]
    }

    @Test("JUnit stays well-formed XML with noncharacters and controls in names")
    func junitIsWellFormed() throws {
        let xml = Reporter.junit(try results())
        #expect(parseXML(xml).counts["failure"] == 1)
        #expect(xml.contains("\\u{FFFE}\\u{FFFF}\\u{1}\\u{200B}\\u{202E}\\u{FDD0}"))
        #expect(Reporter.xmlEscape("a\u{FFFE}b\u{0}c") == "a\\u{FFFE}b\\u{0}c")
    }

    @Test("JSON keeps values exact but writes invisible characters as \\u escapes")
    func jsonEscapesInvisibleCharacters() throws {
        let results = try results()
        let json = Reporter.json(results)
        #expect(!json.unicodeScalars.contains { $0 != "\n" && UntrustedText.isUnsafe($0) })
        #expect(json.contains("\\uFFFE\\uFFFF\\u0001\\u200B\\u202E\\uFDD0"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        #expect(scenarios[0]["name"] as? String == results[0].name)
    }

    @Test("a text report shows zero-width and noncharacters escaped")
    func textReport() throws {
        let report = Reporter.text(try results())
        #expect(report.contains("odd \\u{FFFE}\\u{FFFF}\\u{1}\\u{200B}\\u{202E}\\u{FDD0} name"))
    }
}
