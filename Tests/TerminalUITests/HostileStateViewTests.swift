import CheckoutCore
import Foundation
import MockBackend
import Simulation
import Testing
@testable import TerminalUI
import TestSupport

/// What hostile state does to the screen: it is drawn, quickly, and every notice can be read whole.
@Suite("Hostile state on screen")
struct HostileStateViewTests {
    private func model(storage: [String: String]) -> AppModel {
        let simulation = Simulation(configuration: SimulationConfiguration(seed: 7), storage: InMemoryKeyValueStorage(storage))
        return AppModel(simulation: simulation, stateLabel: "state: (test)")
    }

    @Test("a quantity of Int64.max in localStorage renders, with the notice, instead of trapping")
    func hugeQuantity() {
        let model = model(storage: ["checkout-cart": "[{\"sku\":\"MUG\",\"qty\":9223372036854775807}]"])
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("quantity out of range"))
        #expect(screen.contains("(empty: press a to add an item)"))
    }

    @Test("the largest allowed cart still adds up", arguments: [CartLine.maxQuantity, -CartLine.maxQuantity])
    func largestCart(qty: Int) {
        let model = model(storage: ["checkout-cart": "[{\"sku\":\"GRINDER\",\"qty\":\(qty)},{\"sku\":\"MUG\",\"qty\":\(qty)}]"])
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("\(qty)× Hand grinder"))
        #expect(screen.contains("Total €"))
    }

    @Test("a 10 MB stored key draws a bounded prefix and its length", .timeLimit(.minutes(1)))
    func hugeKey() {
        let key = String(repeating: "k", count: 10_000_000)
        let model = model(storage: ["checkout-idempotency-key": key])
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("… 10000000 characters in all"))
        #expect(screen.contains(String(repeating: "k", count: 40)))
    }

    @Test("wrapping is linear: a 2 MB word and a 2 MB sentence wrap in one pass", .timeLimit(.minutes(1)))
    func linearWrap() {
        let word = String(repeating: "x", count: 2_000_000)
        let lines = Format.wrap(word, width: 100)
        #expect(lines.count == 20_000 && lines.allSatisfy { $0.count == 100 })
        let sentence = String(repeating: "ab ", count: 700_000)
        let wrapped = Format.wrap(sentence, width: 80)
        #expect(wrapped.count == 700_000 / 27 + 1 && wrapped.allSatisfy { $0.count <= 80 })
    }

    @Test("wrapping keeps its rules: words move whole, long words are cut at the width, wide characters take two")
    func wrapRules() {
        #expect(Format.wrap("alpha beta gamma", width: 10) == ["alpha beta", "gamma"])
        #expect(Format.wrap("abcdefghij-klm next", width: 5) == ["abcde", "fghij", "-klm", "next"])
        #expect(Format.wrap("日本語テキスト", width: 5) == ["日本", "語テ", "キス", "ト"])
        #expect(Format.wrap("a\n\nb", width: 5) == ["a", "", "b"])
        #expect(Format.wrap("abcdefghij", width: 5) == ["abcde", "fghij"])
    }

    @Test("two notices at start are both kept, and the message log shows each in full")
    func everyNoticeReadable() {
        let long = String(repeating: "very long notice text ", count: 12)
        let simulation = Simulation(configuration: SimulationConfiguration(seed: 7), storage: InMemoryKeyValueStorage())
        simulation.log("first: localStorage moved aside " + long + "END-ONE", kind: .notice)
        simulation.log("second: backend moved aside " + long + "END-TWO", kind: .notice)
        let model = AppModel(simulation: simulation, stateLabel: "state: (test)")
        press(model, .character("l"))
        #expect(model.overlay == .messages)
        let screen = View.render(model, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(screen.contains("END-ONE") && screen.contains("END-TWO"), "\(screen)")
        #expect(screen.contains("Messages: 2"))
        press(model, .escape)
        #expect(model.overlay == nil)
    }

    @Test("a toast too long for its row says where to read it whole")
    func cutToastPointsToTheLog() {
        let model = makeModel()
        model.status = String(repeating: "status ", count: 40) + "TAIL"
        let row = View.render(model, width: 80, height: 24).lines[21]
        #expect(row.contains("(l: read it all)"), "\(row)")
        #expect(model.simulation.messages.last?.text.hasSuffix("TAIL") == true)
    }
}

/// A localStorage that fails every write, as a read-only or full disk would.
final class FailingStorage: KeyValueStorage {
    struct Refused: Error, CustomStringConvertible { var description: String { "the disk is full" } }
    func value(forKey key: String) -> String? { nil }
    func setValue(_ value: String, forKey key: String) throws { throw Refused() }
    func removeValue(forKey key: String) throws { throw Refused() }
    func allValues() -> [String: String] { [:] }
    func drainNotices() -> [String] { [] }
}

@Suite("Storage failures in words")
struct StorageFailureTests {
    @Test("e says the write failed and why, instead of claiming it wrote the key")
    func tamperFailure() {
        let simulation = Simulation(configuration: SimulationConfiguration(seed: 7), storage: FailingStorage())
        let model = AppModel(simulation: simulation, stateLabel: "state: (test)")
        press(model, .character("e"))
        #expect(model.status == "could not write localStorage (l shows why)")
        #expect(model.simulation.messages.contains { $0.kind == .notice && $0.text == "could not write localStorage: the disk is full" })
    }

    @Test("two unusable state files: both moved aside, both notices kept and readable in full")
    func twoCorruptFiles() throws {
        let temporary = TemporaryDirectory("cs-two")
        defer { temporary.remove() }
        let dir = temporary.url
        try Data([0xFF, 0x00]).write(to: dir.appendingPathComponent("localStorage.json"))
        try Data("garbage that is not a database".utf8).write(to: dir.appendingPathComponent("backend.sqlite"))
        let simulation = try Simulation(stateDirectory: dir, configuration: SimulationConfiguration(seed: 1), clock: VirtualClock())
        let model = AppModel(simulation: simulation, stateLabel: "state: (test)", deferBackend: true)
        model.tick()
        let notices = model.simulation.messages.filter { $0.kind == .notice }.map(\.text)
        #expect(notices.count == 2, "\(notices)")
        #expect(notices.contains { $0.hasPrefix("localStorage file was not a JSON object of strings; moved aside") })
        #expect(notices.contains { $0.hasPrefix("backend database was not a database; moved aside") })
        press(model, .character("l"))
        let screen = View.render(model, width: 120, height: 40).lines.joined(separator: "\n")
        #expect(screen.contains("starting empty") && screen.contains("fresh"), "\(screen)")
    }
}
