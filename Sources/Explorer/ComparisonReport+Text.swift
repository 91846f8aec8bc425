import CheckoutCore
import Foundation

extension ComparisonReport {
    /// The text report: invariants as rows, clients as columns, then the costs.
    /// `outputDirectory` is left out of the cells' file names (it is said once, below).
    public func text(outputDirectory: String) -> String {
        let prefix = outputDirectory.hasSuffix("/") ? outputDirectory : outputDirectory + "/"
        var lines = ["Compared \(policies.count) clients at depth \(depth): each cell holds to the depth, "
                     + "or gives the shortest sequence that breaks the invariant and its scenario file.", ""]
        let names = policies.first?.invariants.map(\.name) ?? []
        let rows = names.enumerated().map { row, name in
            [name] + policies.map { policy in
                let cell = policy.invariants[row]
                guard !cell.held, let shortest = cell.shortest else { return "holds to depth \(depth)" }
                let file = (cell.file ?? "").hasPrefix(prefix) ? String(cell.file!.dropFirst(prefix.count)) : (cell.file ?? "")
                return "\(shortest) steps: \(UntrustedText.escaped(file))"
            }
        }
        lines += ExploreReport.table(header: ["invariant"] + policies.map(\.name), rows: rows)
        lines.append("")
        let costs: [[String]] = [
            ["validations per payment"] + policies.map { Self.figure($0.cost.validationsPerPayment) },
            ["toasts per payment"] + policies.map { Self.figure($0.cost.toasts) },
            ["extra steps to pay again"] + policies.map { $0.cost.extraSteps.map { $0 > 0 ? "+\($0)" : "\($0)" } ?? "n/a" },
        ]
        lines += ExploreReport.table(header: ["cost (per paying path)"] + policies.map(\.name), rows: costs)
        lines.append("")
        lines.append("n/a: no such payment within the depth. The costs are defined in docs/explore.md (Comparing policies).")
        lines.append("Scenario files: \(UntrustedText.escaped(prefix))<client>/<invariant>.yaml · replay: checkout-sim run FILE · side by side: checkout-sim demo FILE --compare CLIENT")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1.33`, or `n/a`.
    static func figure(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "n/a"
    }
}
