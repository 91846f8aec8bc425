import CheckoutCore
import Foundation

/// Report formats of `checkout-sim run`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, html

    /// Whether the report draws each run's sequence diagram (the runner must keep them).
    public var drawsDiagrams: Bool { self == .html }
}

/// A file `run` was given but could not play: it does not parse, or cannot be read.
public struct UnusableFile: Sendable, Equatable, Encodable {
    public var file: String
    /// Each mistake, located (`file:line:column: message`), in order.
    public var errors: [ScenarioParseError]

    public init(file: String, errors: [ScenarioParseError]) {
        self.file = file
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey { case file, errors }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(errors.map { Located(line: $0.line, column: $0.column, message: $0.message, text: $0.description) }, forKey: .errors)
    }

    private struct Located: Encodable {
        var line: Int
        var column: Int
        var message: String
        /// `file:line:column: message`, as the terminal shows it.
        var text: String
    }
}

/// Renders scenario results.
public enum Reporter {
    /// `unusable` files are reported as errors: a testcase with an `<error>` in JUnit, an
    /// `unusable` entry in JSON, a section of the HTML page (the text report leaves them to
    /// standard error, where `run` prints them).
    public static func render(_ results: [ScenarioResult], unusable: [UnusableFile] = [], format: ReportFormat) -> String {
        switch format {
        case .text: text(results, unusable: unusable)
        case .json: json(results, unusable: unusable)
        case .junit: junit(results, unusable: unusable)
        case .html: HTMLPage.report(results, unusable: unusable)
        }
    }

    // MARK: - Text

    /// One line per scenario, failures in detail, a line per unusable file (its mistakes went to
    /// standard error), and `N passed, N failed` last.
    public static func text(_ results: [ScenarioResult], unusable: [UnusableFile] = []) -> String {
        var lines: [String] = []
        for result in results {
            let mark = result.passed ? "PASS" : "FAIL"
            lines.append("\(mark)  \(UntrustedText.escaped(result.name))  (\(UntrustedText.escaped(result.file)))")
            for failure in result.failures {
                lines.append("      \(UntrustedText.escaped(result.file)):\(failure.line): step \(failure.step): \(UntrustedText.escaped(failure.message))")
            }
        }
        for file in unusable {
            lines.append("ERROR \(UntrustedText.escaped(file.file))  (unusable: \(file.errors.count) mistake\(file.errors.count == 1 ? "" : "s"), not played)")
        }
        let passed = results.filter(\.passed).count
        lines.append("\(passed) passed, \(results.count - passed) failed")
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: - JSON

    struct JSONReport: Encodable {
        let passed: Int
        let failed: Int
        /// Files that could not be played (an addition to the format: absent when there are none).
        let errors: Int?
        let scenarios: [ScenarioResult]
        let unusable: [UnusableFile]?
    }

    /// The report schema of the scenario format; always valid JSON.
    public static func json(_ results: [ScenarioResult], unusable: [UnusableFile] = []) -> String {
        let passed = results.filter(\.passed).count
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let report = JSONReport(passed: passed, failed: results.count - passed, errors: unusable.isEmpty ? nil : unusable.count,
                                scenarios: results, unusable: unusable.isEmpty ? nil : unusable)
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
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

    /// One testcase per scenario, and one with an `<error>` per unusable file; always well-formed XML.
    public static func junit(_ results: [ScenarioResult], unusable: [UnusableFile] = []) -> String {
        let failed = results.filter { !$0.passed }.count
        let total = results.reduce(0) { $0 + $1.seconds }
        let tests = results.count + unusable.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"checkout-sim\" tests=\"\(tests)\" failures=\"\(failed)\" errors=\"\(unusable.count)\" time=\"\(seconds(total))\">\n"
        xml += "  <testsuite name=\"scenarios\" tests=\"\(tests)\" failures=\"\(failed)\" errors=\"\(unusable.count)\" time=\"\(seconds(total))\">\n"
        for file in unusable {
            let first = file.errors.first?.description ?? "\(file.file): unusable"
            xml += "    <testcase classname=\"\(xmlEscape(file.file))\" name=\"\(xmlEscape(file.file))\" time=\"0.000\">\n"
            xml += "      <error message=\"\(xmlEscape(first))\" type=\"unusable\">\(file.errors.map { xmlEscape($0.description) }.joined(separator: "\n"))</error>\n"
            xml += "    </testcase>\n"
        }
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
