import CheckoutCore
import Foundation

/// The text report of an exploration: what was searched, a table of the broken invariants
/// (shortest depth, distinct sequences, file), the ones that held, and how fast it went.
public enum ExploreReport {
    public static func text(_ summary: ExploreSummary, outputDirectory: String) -> String {
        var lines: [String] = []
        let reach = summary.stoppedByBudget
            ? "stopped by the budget: depth \(summary.completedDepth) explored completely, depth \(summary.completedDepth + 1) in part"
            : "explored completely to depth \(summary.completedDepth)"
        lines.append("Explored \(summary.client) client, guard \(summary.doubleSubmitGuard ? "on" : "off"): \(reach).")
        lines.append("")
        if summary.findings.isEmpty {
            lines.append("No invariant broken.")
        } else {
            let rows = summary.findings.map { [$0.invariant, "\($0.depth)", "\($0.distinct)", UntrustedText.escaped($0.file)] }
            lines += table(header: ["invariant", "shortest", "distinct", "file"], rows: rows)
        }
        if !summary.unbroken.isEmpty {
            lines.append("")
            lines.append("Held to depth \(summary.completedDepth): \(summary.unbroken.joined(separator: ", ")).")
        }
        lines.append("")
        lines.append("\(grouped(summary.states)) states (\(grouped(summary.distinctStates)) distinct) in "
                     + String(format: "%.2f", summary.seconds) + " s: \(grouped(Int(summary.statesPerSecond))) states/s"
                     + (summary.peakMemoryBytes.map { ", peak memory \($0 / 1_048_576) MB" } ?? "") + ".")
        lines.append("Per depth (distinct states): "
                     + summary.perDepth.map { "\($0.depth): \(grouped($0.distinct))" }.joined(separator: " · "))
        if !summary.findings.isEmpty {
            lines.append("Replay: checkout-sim run \(UntrustedText.escaped(outputDirectory)) · present one: checkout-sim demo FILE")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Columns padded to their widest cell.
    static func table(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
    }

    /// `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (number < 0 ? "-" : "") + out
    }
}
