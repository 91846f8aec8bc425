import CheckoutCore
import Foundation
import MockBackend
import Scenarios
import Simulation
import Testing
@testable import TerminalUI

/// A model over an in-memory, seeded simulation on a virtual clock: the same
/// screen every time.
func makeModel(cart: [CartLine] = [CartLine(sku: "BEANS-1KG", qty: 1), CartLine(sku: "MUG", qty: 2)]) -> AppModel {
    let simulation = Simulation(configuration: SimulationConfiguration(seed: 7))
    for line in cart { simulation.addItem(sku: line.sku, qty: line.qty) }
    simulation.fillForm(FormData(email: "qa@example.com", name: "Ada Lovelace"))
    return AppModel(simulation: simulation, stateLabel: "state: (test)")
}

/// Presses keys and lets replies arrive (virtual time).
func press(_ model: AppModel, _ keys: KeyPress...) {
    for key in keys {
        model.handle(key)
        model.simulation.runUntilIdle()
        model.tick()
    }
}

func chars(_ text: String) -> [KeyPress] { text.map { KeyPress.character($0) } }

let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Compares the rendered screen with `Golden/NAME.txt`. A missing golden fails;
/// `RECORD_SNAPSHOTS=1` rewrites it on purpose.
func assertGolden(_ model: AppModel, _ name: String, width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    assertGolden(lines: View.render(model, width: width, height: height).lines, name, width: width, height: height,
                 sourceLocation: sourceLocation)
}

/// Compares rendered lines with `Golden/NAME-WxH.txt`, as `assertGolden(_:_:…)` does for the main screen.
func assertGolden(lines: [String], _ name: String, width: Int, height: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let text = lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }.joined(separator: "\n") + "\n"
    let url = goldenDirectory.appendingPathComponent("\(name)-\(width)x\(height).txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: goldenDirectory, withIntermediateDirectories: true)
        try? text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden \(url.lastPathComponent); run with RECORD_SNAPSHOTS=1 to create it", sourceLocation: sourceLocation)
        return
    }
    if expected != text {
        let diff = zip(expected.split(separator: "\n", omittingEmptySubsequences: false), text.split(separator: "\n", omittingEmptySubsequences: false))
            .enumerated().filter { $0.element.0 != $0.element.1 }
            .prefix(5).map { "line \($0.offset + 1):\n  golden: \($0.element.0)\n  actual: \($0.element.1)" }
        Issue.record("screen differs from \(url.lastPathComponent):\n\(diff.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }
}
