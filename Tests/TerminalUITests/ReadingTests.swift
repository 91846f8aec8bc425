import CheckoutCore
import Testing
@testable import TerminalUI

/// Help and request details: nothing is cut, and what does not fit scrolls.
@Suite("Reading overlays")
struct ReadingTests {
    /// The text inside the overlay's window on every page, from the top.
    private func pages(_ model: AppModel, width: Int, height: Int) -> [String] {
        model.screenSize = (width, height)
        var pages = [inside(model, width: width, height: height)]
        for _ in 0..<20 {
            press(model, .pageDown)
            let page = inside(model, width: width, height: height)
            if page == pages.last { break }
            pages.append(page)
        }
        return pages
    }

    /// The rows inside the overlay's border.
    private func inside(_ model: AppModel, width: Int, height: Int) -> String {
        guard case .reading(let reading) = model.overlayState else { return "" }
        let window = Reading.page(reading.kind, timeline: model.simulation.timeline, messages: model.simulation.messages,
                                  width: width, height: height).window
        let grid = View.render(model, width: width, height: height)
        return (window.y + 1..<window.y + window.height - 1).map { y in
            (window.x + 1..<window.x + window.width - 1).map { grid[$0, y].symbol }.joined()
        }.joined(separator: "\n")
    }

    @Test("? shows every key with its whole description at every size", arguments: [(80, 24), (100, 30), (120, 40)])
    func helpIsWhole(size: (Int, Int)) {
        let model = makeModel()
        model.screenSize = size
        press(model, .character("?"))
        let text = pages(model, width: size.0, height: size.1).joined(separator: "\n")
        #expect(!text.contains("…"), "a description was cut")
        let words = Set(text.split(whereSeparator: { $0 == " " || $0 == "\n" }))
        for binding in Keymap.bindings {
            #expect(words.contains(Substring(binding.label)), "\(binding.label) missing")
            for word in binding.description.split(separator: " ") {
                #expect(words.contains(word), "'\(word)' of \"\(binding.description)\" missing")
            }
        }
        for context in KeyContext.allCases { #expect(text.contains(context.rawValue)) }
    }

    @Test("scrolling stops at both ends, and the overlay opens at the top again")
    func scrollLimits() {
        let model = makeModel()
        model.screenSize = (80, 24)
        press(model, .character("?"))
        press(model, .up, .pageUp)
        #expect(model.overlayScroll == 0)
        for _ in 0..<200 { press(model, .down) }
        let end = model.overlayScroll
        #expect(end > 0)
        press(model, .character(" "))
        #expect(model.overlayScroll == end, "scrolled past the end")
        let screen = View.render(model, width: 80, height: 24).lines.joined(separator: "\n")
        #expect(screen.contains("of \(end + 20) ·"), "the position is shown")
        press(model, .character("k"))
        #expect(model.overlayScroll == end - 1)
        press(model, .escape)
        #expect(model.overlay == nil)
        press(model, .character("?"))
        #expect(model.overlayScroll == 0)
    }

    @Test("a request's details show the whole request and response at 80×24, over several pages")
    func detailsAreWhole() throws {
        let model = makeModel(cart: ["BEANS-1KG", "MUG", "FILTERS", "GRINDER", "KETTLE"].map { CartLine(sku: $0, qty: 2) })
        press(model, .character("c"), .enter)
        let entry = try #require(model.simulation.timeline.last)
        let pages = pages(model, width: 80, height: 24)
        #expect(pages.count > 1)
        let text = pages.joined(separator: "\n")
        #expect(!text.contains("…"))
        let squeezed = text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
        for json in [entry.record.requestJSON, entry.record.responseJSON] {
            #expect(squeezed.contains(json.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")))
        }
    }

    @Test("wrapping counts columns: wide characters take two", arguments: [
        ("one two three", 7, ["one two", "three"]),
        ("漢字漢字漢字", 5, ["漢字", "漢字", "漢字"]),
        ("ab 漢字 cd", 5, ["ab", "漢字", "cd"]),
        ("漢", 1, ["漢"]),
        ("abcdefgh", 3, ["abc", "def", "gh"]),
    ] as [(String, Int, [String])])
    func wrapping(_ text: String, _ width: Int, _ expected: [String]) {
        #expect(Format.wrap(text, width: width) == expected)
    }
}
