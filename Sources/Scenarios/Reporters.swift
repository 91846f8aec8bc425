import CheckoutCore
import Foundation

/// Report formats of `checkout-sim run`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, html

    /// Whether the report draws each run's sequence diagram (the runner must keep them).
    public var drawsDiagrams: Bool { self == .html }
}

/// Renders scenario results.
public enum Reporter {
    public static func render(_ results: [ScenarioResult], format: ReportFormat) -> String {
        switch format {
        case .text: text(results)
        case .json: json(results)
        case .junit: junit(results)
        case .html: HTMLPage.report(results)
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
        return jsonEscapingUnsafe(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// Writes every character `UntrustedText` calls unsafe as a JSON `\uXXXX` escape: the values
    /// stay exactly what they were, and nothing invisible or controlling reaches a terminal.
    /// Outside strings JSON is plain ASCII, so only string contents change.
    static func jsonEscapingUnsafe(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: UntrustedText.isUnsafe) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            guard UntrustedText.isUnsafe(scalar), scalar != "\n" else {
                out.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                out.append(contentsOf: ("\\u" + String(format: "%04X", unit)).unicodeScalars)
            }
        }
        return String(out)
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

    /// Escapes markup and makes unsafe characters visible; whatever XML 1.0 still forbids
    /// becomes U+FFFD, so the report stays well-formed whatever `UntrustedText` lets through.
    static func xmlEscape(_ text: String) -> String {
        var out = ""
        for scalar in UntrustedText.escaped(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    /// XML 1.0's `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and up.
    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...: true
        default: false
        }
    }
}
