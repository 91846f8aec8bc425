import Foundation
import Testing
@testable import Scenarios

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Reports")
struct ReportTests {
    private func results() throws -> [ScenarioResult] {
        let hostile = try run("""
            name: "hostile \\e]0;pwned\\a \\e[2J < & >"
            steps:
              - backend: { error: { message: "\\e]0;title\\a\\e[31mred\\u202E & <b>" } }
              - do: checkout
              - expect: { toast: none }
            """)
        let passing = try run("name: fine\nsteps:\n  - do: checkout\n")
        return [passing, hostile]
    }

    @Test("text: one line per scenario, failures with file:line, and the closing count")
    func text() throws {
        let report = Reporter.text(try results())
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.last == "1 passed, 1 failed")
        #expect(lines[0].hasPrefix("PASS  fine"))
        #expect(lines[1].hasPrefix("FAIL  hostile \\e]0;pwned\\u{7}"))
        #expect(lines[2].contains("test.yaml:5: step 3: toast: expected none"))
        #expect(!report.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" })
    }

    @Test("JSON follows the documented schema and is always valid")
    func json() throws {
        let data = Data(Reporter.json(try results()).utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["passed"] as? Int == 1)
        #expect(object["failed"] as? Int == 1)
        let scenarios = try #require(object["scenarios"] as? [[String: Any]])
        #expect(scenarios[0]["file"] as? String == "test.yaml")
        #expect(scenarios[0]["passed"] as? Bool == true)
        let step = try #require((scenarios[0]["steps"] as? [[String: Any]])?.first)
        for key in ["index", "line", "kind", "action", "requests", "stored_key", "toast", "cart_items", "payment", "backend"] {
            #expect(step.keys.contains(key), "missing \(key)")
        }
        let request = try #require((step["requests"] as? [[String: Any]])?.first)
        #expect(request["key"] is NSNull)
        #expect(request["result"] as? String == "ok")
        #expect(request["message"] is NSNull)
        let backend = try #require(step["backend"] as? [String: Int])
        #expect(backend == ["sessions": 1, "payment_intents": 1, "paid": 0])
        let failure = try #require((scenarios[1]["failures"] as? [[String: Any]])?.first)
        #expect(failure["line"] as? Int == 5)
        #expect(failure["step"] as? Int == 3)
    }

    @Test("JUnit: one testcase per scenario, failures with messages, well-formed XML")
    func junit() throws {
        let xml = Reporter.junit(try results())
        let delegate = parseXML(xml)
        #expect(delegate.counts["testcase"] == 2)
        #expect(delegate.counts["failure"] == 1)
        #expect(xml.contains("tests=\"2\" failures=\"1\""))
    }
}

/// Parses `xml`, recording an issue if it is not well-formed; the elements it saw, counted.
func parseXML(_ xml: String, sourceLocation: SourceLocation = #_sourceLocation) -> CountingDelegate {
    let delegate = CountingDelegate()
    let parser = XMLParser(data: Data(xml.utf8))
    parser.delegate = delegate
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    return delegate
}

final class CountingDelegate: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        counts[elementName, default: 0] += 1
    }
}
