import CheckoutCore
import Testing
@testable import TerminalUI

@Suite("Client policy keys")
struct PolicyKeyTests {
    @Test("v cycles through every policy, and the header names the one in force")
    func cycle() {
        let model = makeModel()
        for expected in ClientPolicy.all.dropFirst() + [ClientPolicy.standard] {
            press(model, .character("v"))
            #expect(model.simulation.client.settings.policy == expected)
            #expect(model.screen().header.text.contains("client: \(expected.name)"), "\(model.screen().header.text)")
        }
    }

    @Test("o starts a new order once the page holds the order as paid: one validation without a key")
    func newOrder() {
        let model = makeModel()
        press(model, .character("c"))
        press(model, .character("o"))
        #expect(model.simulation.timeline.count == 1, "nothing to leave under the seed's client")
        model.simulation.apply(.setClient(.confirmNewOrder))
        model.simulation.apply(.arm(.markPaid))
        press(model, .character("c"))
        #expect(model.simulation.client.holdsOrderAsPaid)
        press(model, .character("o"))
        #expect(model.simulation.timeline.count == 3)
        #expect(model.simulation.timeline.last?.record.keySent == nil)
        #expect(model.simulation.timeline.last?.record.trigger == .newOrder)
    }

    @Test("both keys are in the help, from the one keymap")
    func help() {
        let markdown = Keymap.markdown()
        #expect(markdown.contains("| `v` | Next client policy: standard / legacy / confirm-new-order / paid-clears-cart |"))
        #expect(markdown.contains("| `o` | Start a new order"))
    }
}
