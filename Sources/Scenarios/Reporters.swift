import CheckoutCore
import Foundation

/// Report formats of `checkout-sim run`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit
}

/// Renders scenario results.
public enum Reporter {
    public static func render(_ results: [ScenarioResult], format: ReportFormat) -> String {
        switch format {
        case .text: text(results)
        case .json: json(results)
        case .junit: junit(results)
        }
    }

    // MARK: - Text

    /// One line per scenario, failures in detail, and `N passed, N failed` last.
    public static func text(_ results: [ScenarioResult]) -> String {
        var lines: [String] = []
        for result in results {
            let mark = result.passed ? "PASS" : "FAIL"
            lines.append("\(mark)  \(UntrustedText.escaped(result.name))  (\(UntrustedText.escaped(result.file)))")
            for failure in result.failures {
                lines.append("      \(UntrustedText.escaped(result.file)):\(failure.line): step \(failure.step): \(UntrustedText.escaped(failure.message))")
            }
        }
        let passed = results.filter(\.passed).count
        lines.append("\(passed) passed, \(results.count - passed) failed")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - JSON

    struct JSONReport: Encodable {
        let passed: Int
        let failed: Int
        let scenarios: [ScenarioResult]
    }

    /// The report schema of the scenario format; always valid JSON.
    public static func json(_ results: [ScenarioResult]) -> String {
        let passed = results.filter(\.passed).count
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONReport(passed: passed, failed: results.count - passed, scenarios: results))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: - JUnit

    /// One testcase per scenario; always well-formed XML.
    public static func junit(_ results: [ScenarioResult]) -> String {
        let failed = results.filter { !$0.passed }.count
        let total = results.reduce(0) { $0 + $1.seconds }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"checkout-sim\" tests=\"\(results.count)\" failures=\"\(failed)\" time=\"\(seconds(total))\">\n"
        xml += "  <testsuite name=\"scenarios\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\" time=\"\(seconds(total))\">\n"
        for result in results {
            xml += "    <testcase classname=\"\(xmlEscape(result.file))\" name=\"\(xmlEscape(result.name))\" time=\"\(seconds(result.seconds))\""
            if result.passed {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            for failure in result.failures {
                let summary = "\(result.file):\(failure.line): step \(failure.step): \(failure.message)"
                xml += "      <failure message=\"\(xmlEscape(failure.message))\" type=\"expectation\">\(xmlEscape(summary))</failure>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    private static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    /// Escapes markup and makes control characters visible (XML 1.0 forbids most of them).
    static func xmlEscape(_ text: String) -> String {
        var out = ""
        for character in UntrustedText.escaped(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
